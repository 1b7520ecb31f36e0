// Clients.java: what a BI tool on pgjdbc (Debian's libpostgresql-jdbc-java)
// sees of the views, checked against values psql computed (arguments).
//   java -cp /usr/share/java/postgresql.jar Clients.java PORT PASSWORD POOR_COUNT P50_DAYS NPS_SUMMARY_OID
// Prints "clients jdbc: NAME ... ok" / "... FAILED (why)".
import java.sql.*;
import java.util.Properties;

public class Clients {
    static int failed = 0;

    static void check(String name, boolean ok, String why) {
        System.out.println("clients jdbc: " + name + (ok ? " ... ok" : " ... FAILED (" + why + ")"));
        if (!ok) failed++;
    }

    static Connection connect(String port, String password, String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "demo_reader");
        p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/demo" + extra, p);
    }

    static long countPoor(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "mandatory_poor");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    public static void main(String[] a) throws Exception {
        String port = a[0], password = a[1];
        long poor = Long.parseLong(a[2]);
        double p50 = Double.parseDouble(a[3]);
        String oid = a[4];
        String q = "SELECT count(*) FROM platform_metrics.capability_quadrants WHERE quadrant = ?";

        // 1. setString binds varchar: mandate_quadrant = varchar has no operator (as README says)
        try (Connection c = connect(port, password, "")) {
            try {
                countPoor(c, q);
                check("a string parameter against mandate_quadrant fails without stringtype=unspecified", false, "it worked");
            } catch (SQLException e) {
                check("a string parameter against mandate_quadrant fails without stringtype=unspecified (42883)",
                      "42883".equals(e.getSQLState()), e.getSQLState() + " " + e.getMessage());
            }
            // 2. an explicit cast in the query works
            long n = countPoor(c, "SELECT count(*) FROM platform_metrics.capability_quadrants WHERE quadrant = ?::platform_metrics.mandate_quadrant");
            check("?::platform_metrics.mandate_quadrant works", n == poor, n + " rows, psql says " + poor);
        }
        // 3. stringtype=unspecified lets the server type the parameter
        try (Connection c = connect(port, password, "?stringtype=unspecified")) {
            long n = countPoor(c, q);
            check("stringtype=unspecified works", n == poor, n + " rows, psql says " + poor);
        }
        // 4. custom types read as text, also once the statement is server-prepared
        try (Connection c = connect(port, password, "?prepareThreshold=1")) {
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT 'promoters=3 passives=1 detractors=1'::platform_metrics.nps_summary, quadrant FROM platform_metrics.capability_quadrants WHERE quadrant IS NOT NULL LIMIT 1");
                     ResultSet r = s.executeQuery()) {
                    r.next();
                    String v = r.getString(1), m = r.getString(2);
                    if (i == 2) {
                        check("nps_summary read as its text form (server-prepared)", "promoters=3 passives=1 detractors=1".equals(v), String.valueOf(v));
                        check("mandate_quadrant read as its text form", m != null && m.matches("(mandatory|optional)_(good|poor)"), String.valueOf(m));
                    }
                }
            }
            // 5. intervals come back as PGInterval; the numeric day columns as doubles
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT p50, p50_days FROM platform_metrics.time_to_value WHERE p50 IS NOT NULL ORDER BY start_month LIMIT 1")) {
                r.next();
                Object iv = r.getObject(1);
                double d = r.getDouble(2);
                check("an interval column is a " + iv.getClass().getSimpleName(), iv.getClass().getSimpleName().equals("PGInterval"), iv.getClass().getName());
                check("p50_days is a double equal to psql's", Math.abs(d - p50) < 1e-9, d + " vs " + p50);
            }
        }
        // 6. forcing binary transfer of a custom type: the driver cannot decode it
        //    (README: read custom types as text)
        try (Connection c = connect(port, password, "?prepareThreshold=1&binaryTransferEnable=" + oid)) {
            String v = null;
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement s = c.prepareStatement("SELECT 'promoters=3 passives=1 detractors=1'::platform_metrics.nps_summary");
                     ResultSet r = s.executeQuery()) {
                    r.next();
                    v = r.getString(1);
                }
            }
            check("binaryTransferEnable for nps_summary: NULL once server-prepared", v == null, String.valueOf(v));
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
