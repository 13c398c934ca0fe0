package dev.paddock.db;

import static dev.paddock.db.NullableColumns.getLong;
import static dev.paddock.db.NullableColumns.setLong;

import dev.paddock.download.DownloadJob;
import dev.paddock.download.DownloadRepository;
import dev.paddock.error.PaddockException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The downloads table. */
public final class JdbcDownloadRepository implements DownloadRepository {
    private final Database db;

    public JdbcDownloadRepository(Database db) {
        this.db = db;
    }

    @Override
    public void save(DownloadJob j) {
        String sql = "INSERT INTO downloads (id, name, source, state, size_bytes, done_bytes, sha256, error, pid, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                + " source = excluded.source, state = excluded.state, size_bytes = excluded.size_bytes,"
                + " done_bytes = excluded.done_bytes, sha256 = excluded.sha256, error = excluded.error, pid = excluded.pid,"
                + " updated_at = excluded.updated_at";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, j.id());
            ps.setString(2, j.name());
            ps.setString(3, j.source());
            ps.setString(4, j.state().wire());
            setLong(ps, 5, j.sizeBytes());
            ps.setLong(6, j.doneBytes());
            ps.setString(7, j.sha256());
            ps.setString(8, j.error());
            setLong(ps, 9, j.pid());
            ps.setLong(10, j.createdAt().toEpochMilli());
            ps.setLong(11, j.updatedAt().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<DownloadJob> find(String id) {
        return query("SELECT * FROM downloads WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<DownloadJob> findAll() {
        return query("SELECT * FROM downloads ORDER BY created_at", null);
    }

    @Override
    public void progress(String id, long doneBytes, Instant at) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE downloads SET done_bytes = ?, updated_at = ? WHERE id = ?")) {
            ps.setLong(1, doneBytes);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean transition(String id, Set<DownloadJob.State> from, DownloadJob.State to, Long doneBytes, String error,
            Instant at) {
        String states = String.join(", ", Collections.nCopies(from.size(), "?"));
        String sql = "UPDATE downloads SET state = ?, done_bytes = COALESCE(?, done_bytes), error = ?, updated_at = ?"
                + " WHERE id = ? AND state IN (" + states + ")";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, to.wire());
            setLong(ps, 2, doneBytes);
            ps.setString(3, error);
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, id);
            int i = 6;
            for (DownloadJob.State s : from) {
                ps.setString(i++, s.wire());
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void describe(String id, Long sizeBytes, String sha256, Instant at) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("UPDATE downloads SET size_bytes = ?, sha256 = ?, updated_at = ? WHERE id = ?")) {
            setLong(ps, 1, sizeBytes);
            ps.setString(2, sha256);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<DownloadJob> query(String sql, String id) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            List<DownloadJob> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DownloadJob(rs.getString("id"), rs.getString("name"), rs.getString("source"),
                            DownloadJob.State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)),
                            getLong(rs, "size_bytes"), rs.getLong("done_bytes"), rs.getString("sha256"), rs.getString("error"),
                            getLong(rs, "pid"), Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("updated_at"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PaddockException failure(SQLException e) {
        return PaddockException.storage("database error (" + db.url() + "): " + Database.rootMessage(e), e);
    }
}
