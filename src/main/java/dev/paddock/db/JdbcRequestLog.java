package dev.paddock.db;

import static dev.paddock.db.NullableColumns.getDouble;
import static dev.paddock.db.NullableColumns.getInt;
import static dev.paddock.db.NullableColumns.setDouble;
import static dev.paddock.db.NullableColumns.setInt;

import dev.paddock.error.PaddockException;
import dev.paddock.serving.RequestLog;
import dev.paddock.serving.RequestRecord;
import dev.paddock.serving.SettingsRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The requests and settings tables. */
public final class JdbcRequestLog implements RequestLog, SettingsRepository {
    private static final long PRUNE_EVERY_MILLIS = 3_600_000;
    private final Database db;
    private final java.time.Duration retention;
    private final java.util.concurrent.atomic.AtomicLong prunedAt = new java.util.concurrent.atomic.AtomicLong();

    /** Keeps requests for {@code retention}; older ones are deleted as new ones come, at most once an hour. */
    public JdbcRequestLog(Database db, java.time.Duration retention) {
        this.db = db;
        this.retention = retention;
    }

    public JdbcRequestLog(Database db) {
        this(db, java.time.Duration.ofDays(30));
    }

    /** Deletes requests that started before {@code before}; returns how many. */
    public int prune(Instant before) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM requests WHERE started_at < ?")) {
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void record(RequestRecord r) {
        long now = System.currentTimeMillis();
        long last = prunedAt.get();
        if (now - last > PRUNE_EVERY_MILLIS && prunedAt.compareAndSet(last, now)) {
            prune(Instant.ofEpochMilli(now).minus(retention));
        }
        String sql = "INSERT INTO requests (id, model, provider, source, started_at, ttft_ms, duration_ms, prompt_tokens,"
                + " completion_tokens, outcome, error, cost_usd, tool_calls, structured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.id());
            ps.setString(2, r.model());
            ps.setString(3, r.provider());
            ps.setString(4, r.source());
            ps.setLong(5, r.startedAt().toEpochMilli());
            setDouble(ps, 6, r.ttftMillis());
            ps.setDouble(7, r.durationMillis());
            setInt(ps, 8, r.promptTokens());
            setInt(ps, 9, r.completionTokens());
            ps.setString(10, r.outcome());
            ps.setString(11, r.error());
            setDouble(ps, 12, r.costUsd());
            ps.setInt(13, r.toolCalls());
            ps.setInt(14, r.structured() ? 1 : 0);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** How many requests are recorded and the latest one's start: what changes when one is (for live pages). */
    public String stamp() {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MAX(started_at) FROM requests");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) + "@" + rs.getLong(2) : "0";
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<RequestRecord> since(Instant since, String model) {
        String sql = "SELECT * FROM requests WHERE started_at >= ?" + (model == null ? "" : " AND model = ?")
                + " ORDER BY started_at";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, since.toEpochMilli());
            if (model != null) {
                ps.setString(2, model);
            }
            List<RequestRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RequestRecord(rs.getString("id"), rs.getString("model"), rs.getString("provider"),
                            rs.getString("source"), Instant.ofEpochMilli(rs.getLong("started_at")), getDouble(rs, "ttft_ms"),
                            rs.getDouble("duration_ms"), getInt(rs, "prompt_tokens"), getInt(rs, "completion_tokens"),
                            rs.getString("outcome"), rs.getString("error"), getDouble(rs, "cost_usd"), rs.getInt("tool_calls"),
                            rs.getInt("structured") == 1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<String> get(String name) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void put(String name, String value) {
        String sql = "INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PaddockException failure(SQLException e) {
        return PaddockException.storage("database error (" + db.url() + "): " + Database.rootMessage(e), e);
    }
}
