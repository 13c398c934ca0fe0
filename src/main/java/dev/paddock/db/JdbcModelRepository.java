package dev.paddock.db;

import static dev.paddock.db.NullableColumns.getLong;
import static dev.paddock.db.NullableColumns.setLong;

import dev.paddock.error.PaddockException;
import dev.paddock.model.Digest;
import dev.paddock.model.ModelName;
import dev.paddock.store.ModelRepository;
import dev.paddock.store.StoredModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The models table, through plain JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class JdbcModelRepository implements ModelRepository {
    private static final String COLUMNS = "name, digest, size_bytes, format, architecture, parameter_count, quantization,"
            + " context_length, source, added_at, last_used_at, projector_digest, projector_size";

    private final Database db;

    public JdbcModelRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(StoredModel m) {
        String sql = "INSERT INTO models (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, size_bytes = excluded.size_bytes,"
                + " format = excluded.format, architecture = excluded.architecture,"
                + " parameter_count = excluded.parameter_count, quantization = excluded.quantization,"
                + " context_length = excluded.context_length, source = excluded.source, added_at = excluded.added_at,"
                + " last_used_at = excluded.last_used_at, projector_digest = excluded.projector_digest,"
                + " projector_size = excluded.projector_size";
        update(sql, ps -> {
            ps.setString(1, m.name().toString());
            ps.setString(2, m.digest().toString());
            ps.setLong(3, m.sizeBytes());
            ps.setString(4, m.format());
            ps.setString(5, m.architecture());
            setLong(ps, 6, m.parameterCount());
            ps.setString(7, m.quantization());
            setLong(ps, 8, m.contextLength());
            ps.setString(9, m.source());
            ps.setLong(10, m.addedAt().toEpochMilli());
            setLong(ps, 11, m.lastUsedAt() == null ? null : m.lastUsedAt().toEpochMilli());
            ps.setString(12, m.projector() == null ? null : m.projector().digest().toString());
            setLong(ps, 13, m.projector() == null ? null : m.projector().sizeBytes());
        });
    }

    @Override
    public Optional<StoredModel> find(ModelName name) {
        List<StoredModel> rows = query("SELECT " + COLUMNS + " FROM models WHERE name = ?", ps -> ps.setString(1, name.toString()));
        return rows.stream().findFirst();
    }

    @Override
    public List<StoredModel> findAll() {
        return query("SELECT " + COLUMNS + " FROM models ORDER BY name", ps -> {});
    }

    @Override
    public boolean delete(ModelName name) {
        return update("DELETE FROM models WHERE name = ?", ps -> ps.setString(1, name.toString())) > 0;
    }

    @Override
    public void markUsed(ModelName name, Instant when) {
        update("UPDATE models SET last_used_at = ? WHERE name = ?", ps -> {
            ps.setLong(1, when.toEpochMilli());
            ps.setString(2, name.toString());
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<StoredModel> query(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredModel> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static StoredModel row(ResultSet rs) throws SQLException {
        return new StoredModel(
                ModelName.parse(rs.getString("name")),
                Digest.parse(rs.getString("digest")),
                rs.getLong("size_bytes"),
                rs.getString("format"),
                rs.getString("architecture"),
                getLong(rs, "parameter_count"),
                rs.getString("quantization"),
                getLong(rs, "context_length"),
                rs.getString("source"),
                Instant.ofEpochMilli(rs.getLong("added_at")),
                Optional.ofNullable(getLong(rs, "last_used_at")).map(Instant::ofEpochMilli).orElse(null),
                rs.getString("projector_digest") == null ? null
                        : new StoredModel.Projector(Digest.parse(rs.getString("projector_digest")), rs.getLong("projector_size")));
    }

    private PaddockException failure(SQLException e) {
        return PaddockException.storage("database error (" + db.url() + "): " + Database.rootMessage(e), e);
    }
}
