"""clients.py: what a Python client on psycopg 3 (Debian's python3-psycopg)
sees of the views, checked against values psql computed (arguments).
    python3 clients.py PORT PASSWORD POOR_COUNT
Prints "clients psycopg: NAME ... ok" / "... FAILED (why)"."""
import sys
import datetime
import psycopg

port, password, poor = sys.argv[1], sys.argv[2], int(sys.argv[3])
failed = 0


def check(name, ok, why=""):
    global failed
    print("clients psycopg: %s ... %s" % (name, "ok" if ok else "FAILED (%s)" % why))
    if not ok:
        failed += 1


conn = psycopg.connect(host="127.0.0.1", port=port, dbname="demo", user="demo_reader", password=password)
q = "SELECT count(*) FROM platform_metrics.capability_quadrants WHERE quadrant = %s"
# a str parameter is sent untyped: the server types it as mandate_quadrant
n = conn.execute(q, ["mandatory_poor"]).fetchone()[0]
check("a str parameter compared with mandate_quadrant", n == poor, "%s rows, psql says %s" % (n, poor))
# text results (the default): custom types arrive as their text form
v = conn.execute("SELECT 'promoters=3 passives=1 detractors=1'::platform_metrics.nps_summary").fetchone()[0]
check("nps_summary read as its text form", v == "promoters=3 passives=1 detractors=1", repr(v))
# binary results: a custom type arrives as the raw bytes of its binary form
# (as README says: read them as text, or cast them to text in the query)
with conn.cursor(binary=True) as cur:
    cur.execute("SELECT 'promoters=3 passives=1 detractors=1'::platform_metrics.nps_summary AS raw,"
                " ('promoters=3 passives=1 detractors=1'::platform_metrics.nps_summary)::text AS text")
    raw, text = cur.fetchone()
    check("binary mode: nps_summary arrives as bytes", isinstance(raw, bytes), type(raw).__name__)
    check("binary mode: nps_summary::text arrives as str", text == "promoters=3 passives=1 detractors=1", repr(text))
# intervals arrive as timedelta, the day columns as float
p50, days = conn.execute("SELECT p50, p50_days FROM platform_metrics.time_to_value"
                         " WHERE p50 IS NOT NULL ORDER BY start_month LIMIT 1").fetchone()
check("an interval column is a timedelta", isinstance(p50, datetime.timedelta), type(p50).__name__)
check("p50_days agrees with it", isinstance(days, float) and abs(days - p50.total_seconds() / 86400) < 1e-6,
      "%r vs %r" % (days, p50))
conn.close()
sys.exit(0 if failed == 0 else 1)
