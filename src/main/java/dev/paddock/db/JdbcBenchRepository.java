package dev.paddock.db;

import static dev.paddock.db.NullableColumns.getDouble;
import static dev.paddock.db.NullableColumns.setDouble;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.bench.BenchRepository;
import dev.paddock.bench.BenchRun;
import dev.paddock.bench.SpeedSample;
import dev.paddock.error.PaddockException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The bench_runs and bench_samples tables. */
public final class JdbcBenchRepository implements BenchRepository {
    /** A run that ended by itself: one cancelled or still going stands for no model. */
    private static final String FINISHED = "status IN ('complete', 'failed')";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    public JdbcBenchRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(BenchRun r) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM bench_samples WHERE run_id = ?");
                    PreparedStatement run = c.prepareStatement("INSERT INTO bench_runs (id, model, provider, digest, quantization,"
                            + " engine, hardware, settings, suite, suite_version, started_at, finished_at, status, error)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                            + " finished_at = excluded.finished_at, status = excluded.status, error = excluded.error");
                    PreparedStatement sample = c.prepareStatement("INSERT INTO bench_samples (run_id, repetition, prompt_tokens,"
                            + " output_tokens, pp_tps, tg_tps, ttft_ms, tpot_ms, e2e_ms, itl_ms, error, energy_j, engine_tg_tps)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                run.setString(1, r.id());
                run.setString(2, r.model());
                run.setString(3, r.provider());
                run.setString(4, r.digest());
                run.setString(5, r.quantization());
                run.setString(6, r.engine());
                run.setString(7, r.hardware());
                run.setString(8, r.settings());
                run.setString(9, r.suite());
                run.setString(10, r.suiteVersion());
                run.setLong(11, r.startedAt().toEpochMilli());
                if (r.finishedAt() == null) {
                    run.setNull(12, java.sql.Types.BIGINT);
                } else {
                    run.setLong(12, r.finishedAt().toEpochMilli());
                }
                run.setString(13, r.status());
                run.setString(14, r.error());
                run.executeUpdate();
                del.setString(1, r.id());
                del.executeUpdate();
                for (SpeedSample s : r.samples()) {
                    sample.setString(1, r.id());
                    sample.setInt(2, s.repetition());
                    sample.setInt(3, s.promptTokens());
                    sample.setInt(4, s.outputTokens());
                    setDouble(sample, 5, s.promptTokensPerSecond());
                    setDouble(sample, 6, s.generationTokensPerSecond());
                    setDouble(sample, 7, s.ttftMillis());
                    setDouble(sample, 8, s.tpotMillis());
                    sample.setDouble(9, s.endToEndMillis());
                    sample.setString(10, JSON.writeValueAsString(s.itlMillis()));
                    sample.setString(11, s.error());
                    setDouble(sample, 12, s.energyJoules());
                    setDouble(sample, 13, s.engineGenerationTokensPerSecond());
                    sample.addBatch();
                }
                sample.executeBatch();
                c.commit();
            } catch (SQLException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw PaddockException.storage("cannot save the benchmark run (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void saveAnswers(String runId, List<dev.paddock.bench.QualityAnswer> answers) {
        String sql = "INSERT INTO quality_answers (run_id, task_id, category, passed, detail, answer) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, task_id) DO UPDATE SET passed = excluded.passed, detail = excluded.detail, answer = excluded.answer";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (var a : answers) {
                ps.setString(1, runId);
                ps.setString(2, a.taskId());
                ps.setString(3, a.category());
                if (a.passed() == null) {
                    ps.setNull(4, java.sql.Types.BOOLEAN);
                } else {
                    ps.setBoolean(4, a.passed());
                }
                ps.setString(5, a.detail());
                ps.setString(6, a.answer());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw PaddockException.storage("cannot save answers (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public List<dev.paddock.bench.QualityAnswer> answers(String runId) {
        List<dev.paddock.bench.QualityAnswer> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM quality_answers WHERE run_id = ? ORDER BY task_id")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean p = rs.getBoolean("passed");
                    Boolean passed = rs.wasNull() ? null : p;
                    out.add(new dev.paddock.bench.QualityAnswer(rs.getString("task_id"), rs.getString("category"), passed,
                            rs.getString("detail"), rs.getString("answer")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PaddockException.storage("cannot read answers (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void saveLoad(String runId, List<dev.paddock.bench.LoadResult> results) {
        String sql = "INSERT INTO bench_load (run_id, concurrency, request_rate, requests, errors, wall_ms, requests_per_s, output_tps,"
                + " latency_p50_ms, latency_p90_ms, latency_p99_ms, ttft_p50_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (var r : results) {
                ps.setString(1, runId);
                ps.setInt(2, r.concurrency());
                setDouble(ps, 3, r.requestRate());
                ps.setInt(4, r.requests());
                ps.setInt(5, r.errors());
                ps.setDouble(6, r.wallMillis());
                ps.setDouble(7, r.requestsPerSecond());
                ps.setDouble(8, r.outputTokensPerSecond());
                setDouble(ps, 9, r.latencyP50());
                setDouble(ps, 10, r.latencyP90());
                setDouble(ps, 11, r.latencyP99());
                setDouble(ps, 12, r.ttftP50());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw PaddockException.storage("cannot save load results (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void saveResources(String runId, dev.paddock.bench.RunResources r) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE bench_runs SET peak_rss_bytes = ?, context_size = ?, gpu_memory_bytes = ?,"
                        + " reported_bytes = ?, reported_vram_bytes = ? WHERE id = ?")) {
            NullableColumns.setLong(ps, 1, r.peakRssBytes());
            NullableColumns.setInt(ps, 2, r.contextSize());
            NullableColumns.setLong(ps, 3, r.gpuMemoryBytes());
            NullableColumns.setLong(ps, 4, r.reportedBytes());
            NullableColumns.setLong(ps, 5, r.reportedVramBytes());
            ps.setString(6, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PaddockException.storage("cannot save run resources (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public dev.paddock.bench.RunResources resources(String runId) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT peak_rss_bytes, context_size, gpu_memory_bytes, reported_bytes,"
                        + " reported_vram_bytes FROM bench_runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new dev.paddock.bench.RunResources(NullableColumns.getLong(rs, "peak_rss_bytes"),
                        NullableColumns.getInt(rs, "context_size"), NullableColumns.getLong(rs, "gpu_memory_bytes"),
                        NullableColumns.getLong(rs, "reported_bytes"), NullableColumns.getLong(rs, "reported_vram_bytes"))
                        : dev.paddock.bench.RunResources.UNKNOWN;
            }
        } catch (SQLException e) {
            throw PaddockException.storage("cannot read run resources (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public List<dev.paddock.bench.LoadResult> load(String runId) {
        List<dev.paddock.bench.LoadResult> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM bench_load WHERE run_id = ? ORDER BY concurrency")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new dev.paddock.bench.LoadResult(rs.getInt("concurrency"), getDouble(rs, "request_rate"), rs.getInt("requests"),
                            rs.getInt("errors"), rs.getDouble("wall_ms"), rs.getDouble("requests_per_s"), rs.getDouble("output_tps"),
                            getDouble(rs, "latency_p50_ms"), getDouble(rs, "latency_p90_ms"), getDouble(rs, "latency_p99_ms"),
                            getDouble(rs, "ttft_p50_ms")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PaddockException.storage("cannot read load results (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Optional<BenchRun> find(String id) {
        return runs("SELECT * FROM bench_runs WHERE id = ?", ps -> ps.setString(1, id)).stream().findFirst();
    }

    @Override
    public java.util.Set<String> modelsWithSpeedRuns() {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT model FROM bench_runs WHERE suite = ? AND " + FINISHED)) {
            ps.setString(1, dev.paddock.bench.BenchService.SUITE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PaddockException.storage("cannot read benchmark runs (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Optional<BenchRun> latestSpeedRun(String model) {
        return runs("SELECT * FROM bench_runs r WHERE model = ? AND suite = ? AND " + FINISHED + " AND EXISTS"
                + " (SELECT 1 FROM bench_samples s WHERE s.run_id = r.id) ORDER BY started_at DESC LIMIT 1", ps -> {
                    ps.setString(1, model);
                    ps.setString(2, dev.paddock.bench.BenchService.SUITE);
                }).stream().findFirst();
    }

    @Override
    public List<BenchRun> history(String model, int limit) {
        return runs(model == null ? "SELECT * FROM bench_runs ORDER BY started_at DESC LIMIT ?"
                : "SELECT * FROM bench_runs WHERE model = ? ORDER BY started_at DESC LIMIT ?", ps -> {
                    if (model != null) {
                        ps.setString(1, model);
                    }
                    ps.setInt(model == null ? 1 : 2, limit);
                });
    }

    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    /** The runs a query selects, each with its samples. */
    private List<BenchRun> runs(String sql, Parameters parameters) {
        List<BenchRun> runs = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.set(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long fin = rs.getLong("finished_at");
                    Instant finished = rs.wasNull() ? null : Instant.ofEpochMilli(fin);
                    runs.add(new BenchRun(rs.getString("id"), rs.getString("model"), rs.getString("provider"), rs.getString("digest"),
                            rs.getString("quantization"), rs.getString("engine"), rs.getString("hardware"), rs.getString("settings"),
                            rs.getString("suite"), rs.getString("suite_version"), Instant.ofEpochMilli(rs.getLong("started_at")),
                            finished, rs.getString("status"), rs.getString("error"), List.of()));
                }
            }
            List<BenchRun> out = new ArrayList<>();
            for (BenchRun r : runs) {
                out.add(new BenchRun(r.id(), r.model(), r.provider(), r.digest(), r.quantization(), r.engine(), r.hardware(),
                        r.settings(), r.suite(), r.suiteVersion(), r.startedAt(), r.finishedAt(), r.status(), r.error(), samples(c, r.id())));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw PaddockException.storage("cannot read benchmark runs (" + db.url() + "): " + e.getMessage(), e);
        }
    }

    private static List<SpeedSample> samples(Connection c, String runId) throws SQLException, IOException {
        List<SpeedSample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM bench_samples WHERE run_id = ? ORDER BY prompt_tokens, repetition")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SpeedSample(rs.getInt("repetition"), rs.getInt("prompt_tokens"), rs.getInt("output_tokens"),
                            getDouble(rs, "pp_tps"), getDouble(rs, "tg_tps"), getDouble(rs, "ttft_ms"), getDouble(rs, "tpot_ms"),
                            rs.getDouble("e2e_ms"), JSON.readValue(rs.getString("itl_ms"), new TypeReference<List<Double>>() {}),
                            rs.getString("error"), getDouble(rs, "energy_j"), getDouble(rs, "engine_tg_tps")));
                }
            }
        }
        return out;
    }
}
