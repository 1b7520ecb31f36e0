#!/usr/bin/perl
# test/fuzz/gen.pl: the input generator of the fuzz driver (test/fuzz/run.sh).
#
#   perl gen.pl io    SEED COUNT DIR   text and binary inputs of every type, ingest() batches
#   perl gen.pl calls SEED COUNT DIR   calls of every function, operator, aggregate and window
#                                      function of the extension
#
# DIR holds what run.sh exported from the fuzz database:
#   seeds.tsv      typ, text form, send() output in hex       (io)
#   functions.tsv  the fuzz.functions view                     (calls)
#   operators.tsv  the fuzz.operators view                     (calls)
#   pool.tsv       id, typ, text form of the values in fuzz.pool (calls): the seeds and the
#                  values text and binary inputs were accepted as
# Writes exactly COUNT inputs to stdout in COPY text format, columns
#   target, kind, typ, payload, bin, repro
# for fuzz.inputs.  Deterministic: the same SEED and files give the same inputs.
# Only core Perl.
use strict;
use warnings;
no warnings qw(qw);

my ($mode, $seed, $count, $dir) = @ARGV;
die "usage: gen.pl io|calls SEED COUNT DIR\n" unless defined $dir && $count =~ /^\d+$/ && $seed =~ /^\d+$/;
srand($seed + ($mode eq 'io' ? 0 : 7919));
binmode STDOUT, ':raw';
use Encode ();

# Strings are bytes (UTF-8) throughout, so that positions are cheap; what is
# written out is made valid UTF-8 (a cut multibyte character becomes U+FFFD).
sub valid_utf8 { my $s = shift; return undef unless defined $s; Encode::encode('UTF-8', Encode::decode('UTF-8', $s)) }

my $EXT = 'platform_metrics';

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
sub ri { int(rand($_[0])) }
sub pick { $_[ri(scalar @_)] }
sub chance { rand() < $_[0] }
sub rint { my ($lo, $hi) = @_; $lo + ri($hi - $lo + 1) }

# COPY text format escapes; undef is NULL.
sub cesc {
    my $s = shift;
    return '\N' unless defined $s;
    $s =~ s/\x00//g;
    $s =~ s/\\/\\\\/g;
    $s =~ s/\t/\\t/g;
    $s =~ s/\n/\\n/g;
    $s =~ s/\r/\\r/g;
    return $s;
}
sub cunesc {
    my $s = shift;
    return undef if $s eq '\N';
    $s =~ s/\\(.)/$1 eq 't' ? "\t" : $1 eq 'n' ? "\n" : $1 eq 'r' ? "\r" : $1/ge;
    return $s;
}

my $emitted = 0;
sub emit {
    my ($target, $kind, $typ, $payload, $bin, $repro, $must) = @_;
    my $b = defined $bin ? '\\\\x' . unpack('H*', $bin) : '\N';
    print join("\t", cesc($target), $kind, cesc($typ), cesc(valid_utf8($payload)), $b, cesc(valid_utf8($repro)), $must ? 't' : 'f'), "\n";
    $emitted++;
}

# SQL string literal (standard_conforming_strings is on).
sub sq { my $s = shift; $s =~ s/\x00//g; $s =~ s/'/''/g; "'$s'" }

sub short_type { my $t = shift; $t =~ s/^\Q$EXT\E\.//; $t }

sub read_tsv {
    my ($file) = @_;
    open(my $fh, '<:raw', $file) or die "gen.pl: $file: $!\n";
    my @rows;
    while (my $line = <$fh>) {
        chomp $line;
        push @rows, [map { cunesc($_) } split(/\t/, $line, -1)];
    }
    close $fh;
    return @rows;
}

# Split count over targets by weight, deterministically, every target >= 1
# when count allows.
sub split_count {
    my ($count, @w) = @_;
    my $tot = 0;
    $tot += $_ for @w;
    my @n = map { int($count * $_ / $tot) } @w;
    my $left = $count;
    $left -= $_ for @n;
    my $i = 0;
    while ($left > 0) { $n[$i++ % @n]++; $left--; }
    return @n;
}

# ---------------------------------------------------------------------------
# Interesting values
# ---------------------------------------------------------------------------
my @NUMS = qw(0 1 -1 2 3 7 9 10 11 -0 00 +1 007 255 256 1000 9999 10000 10001 32767 32768 65535 65536
  2147483647 2147483648 -2147483648 -2147483649 4294967295 4294967296 9007199254740992 9007199254740993
  4611686018427387904 3074457345618258602 3074457345618258603 9223372036854775806
  9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
  18446744073709551615 18446744073709551616 1e3 1E-3 1e308 1e309 -1e309 4.9e-324 2.5e-324 0.5 0.000001
  0.0000001 0.0000005 1.0000005 0x10 1_000 1,5 NaN nan -NaN Infinity -Infinity inf -inf +inf infinity
  1.7976931348623157e308 99999999999999999999.999999 0.0001 0.00009999 0.1 0.10000001 0.01 0.05
  9223372036854.775807 9223372036854.775808 9223372036854775.807 -9223372036854.775808
  146000 292277 86400 2592000 31557600 1305 -1305 .5 5. 1e 1e+ -- +-1 0.0 000000000000000000001);

sub huge_number {
    my $len = pick(20, 25, 40, 100, 400, 2000);
    my $s = (chance(0.3) ? '-' : '') . (1 + ri(9));
    $s .= ri(10) for 2 .. $len;
    $s .= '.' . ('9' x ri(30)) if chance(0.2);
    return $s;
}

sub interesting_number {
    my $n = shift;
    my $r = rand();
    return huge_number() if $r < 0.1;
    if ($r < 0.35 && defined $n && $n =~ /^-?\d{1,15}$/) {
        return pick($n + 1, $n - 1, $n * 2, -$n, $n . '0', $n * 1000, int($n / 2), $n . '.5', $n . 'e2', '+' . $n, " $n");
    }
    return pick(@NUMS);
}

my @UNI = ("\xc3\xa9", "\xc3\x9f", "\xc4\xb0", "\xc4\xb1", "\xef\xac\x80", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbb\xbf", "\xe2\x80\x8b",
    "\xcc\x81", "\xef\xbc\xb0", "\xd1\x80", "\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xe2\x80\xa8", "\xef\xbf\xbd", "\xf3\xa0\x81\x81",
    "\xee\x80\x80", "\xd9\xa3", "\xe2\x91\xa0", "\xc2\xbd", "\xce\xa9", "\xef\xbc\x90", "\xe2\x88\x92");
my @SEPS = (' ', ',', ':', '=', ';', "\t", "\n", "\r", '"', "'", '\\', '{', '}', '[', ']', '(', ')', '.', '-',
    '+', 'e', 'E', '/', '  ', ', ', '::', '==', ',,', '\\"', "\x0b", "\x0c", "\x01", "\x7f");
my @SPECIAL = ('NaN', 'Infinity', '-Infinity', 'inf', 'nan', '', ' ', 'null', 'NULL', 'true', '1e999', '-0',
    'infinity', '"', '\\', '{}', '[]');
my @WS = (' ', "\t", "\n", "\r", "\x0b", "\x0c", "\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xef\xbb\xbf", '   ');

# ---------------------------------------------------------------------------
# Text mutations
# ---------------------------------------------------------------------------
sub rand_char {
    my $r = rand();
    return pick(@UNI) if $r < 0.15;
    return pick(@SEPS) if $r < 0.45;
    return chr(ord('0') + ri(10)) if $r < 0.7;
    return chr(32 + ri(95));
}

sub number_spans {
    my $s = shift;
    my @spans;
    while ($s =~ /[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g) {
        push @spans, [$-[0], $+[0] - $-[0]];
    }
    return @spans;
}

sub token_spans {
    my $s = shift;
    my @spans;
    while ($s =~ /[^ ,{}\t\n]+/g) {
        push @spans, [$-[0], $+[0] - $-[0]];
    }
    return @spans;
}

my %SEEDTEXT;    # typ => [texts], for splicing

sub mutate_text_once {
    my ($s, $typ) = @_;
    my $len = length $s;
    my $op = ri(22);
    if ($op <= 3) {    # a number: interesting value, tweak, huge, negative
        my @sp = number_spans($s);
        if (@sp) {
            my ($at, $n) = @{pick(@sp)};
            my $old = substr($s, $at, $n);
            my $new = chance(0.15) ? '-' . $old : interesting_number($old);
            substr($s, $at, $n) = $new;
            return $s;
        }
        $op = 4;
    }
    if ($op == 4) {    # one digit changed
        my @d;
        push @d, $-[0] while $s =~ /\d/g;
        if (@d) { substr($s, pick(@d), 1) = ri(10); return $s; }
        $op = 5;
    }
    if ($op == 5) {    # a character replaced
        return rand_char() unless $len;
        substr($s, ri($len), 1) = rand_char();
        return $s;
    }
    if ($op == 6) {    # a bit flipped in an ASCII character
        return $s unless $len;
        my $at = ri($len);
        my $c = ord(substr($s, $at, 1));
        if ($c < 128) {
            $c ^= 1 << ri(7);
            $c = 32 if $c == 0;
            substr($s, $at, 1) = chr($c);
        }
        return $s;
    }
    if ($op == 7) {    # truncated
        return substr($s, 0, ri($len + 1));
    }
    if ($op == 8) {    # a range deleted
        return $s unless $len;
        my $at = ri($len);
        substr($s, $at, 1 + ri(min(16, $len - $at))) = '';
        return $s;
    }
    if ($op == 9) {    # a range duplicated
        return $s unless $len;
        my $at = ri($len);
        my $piece = substr($s, $at, 1 + ri(min(40, $len - $at)));
        substr($s, ri($len + 1), 0) = $piece;
        return $s;
    }
    if ($op == 10) {    # a token duplicated (a key, a point, a bucket, a member)
        my @sp = token_spans($s);
        return $s unless @sp;
        my ($at, $n) = @{pick(@sp)};
        my $tok = substr($s, $at, $n);
        substr($s, $at + $n, 0) = pick(' ', ',', '') . $tok;
        return $s;
    }
    if ($op == 11) {    # a separator inserted
        substr($s, ri($len + 1), 0) = pick(@SEPS);
        return $s;
    }
    if ($op == 12) {    # NaN, Infinity, empty, ... instead of a token
        my @sp = token_spans($s);
        my $sp = pick(@SPECIAL);
        if (@sp) {
            my ($at, $n) = @{pick(@sp)};
            my $tok = substr($s, $at, $n);
            if ($tok =~ /^([^=:]*[=:])/ && chance(0.6)) {
                substr($s, $at + length($1), $n - length($1)) = $sp;
            } else {
                substr($s, $at, $n) = $sp;
            }
            return $s;
        }
        return $sp;
    }
    if ($op == 13) {    # white space around or inside
        my $w = pick(@WS) x (1 + ri(3));
        my $r = ri(3);
        return $w . $s if $r == 0;
        return $s . $w if $r == 1;
        substr($s, ri($len + 1), 0) = $w;
        return $s;
    }
    if ($op == 14) {    # unicode inserted or replacing
        my $u = pick(@UNI);
        if ($len && chance(0.5)) { substr($s, ri($len), 1) = $u; }
        else { substr($s, ri($len + 1), 0) = $u; }
        return $s;
    }
    if ($op == 15) {    # case changed
        return chance(0.5) ? uc $s : lc $s if chance(0.3);
        return $s unless $len;
        my $at = ri($len);
        my $n = 1 + ri(min(10, $len - $at));
        my $piece = substr($s, $at, $n);
        substr($s, $at, $n) = $piece eq uc $piece ? lc $piece : uc $piece;
        return $s;
    }
    if ($op == 16) {    # two tokens swapped
        my @sp = token_spans($s);
        return $s unless @sp >= 2;
        my ($a, $b) = (pick(@sp), pick(@sp));
        ($a, $b) = ($b, $a) if $a->[0] > $b->[0];
        return $s if $a->[0] == $b->[0] || $a->[0] + $a->[1] > $b->[0];
        my $ta = substr($s, $a->[0], $a->[1]);
        my $tb = substr($s, $b->[0], $b->[1]);
        substr($s, $b->[0], $b->[1]) = $ta;
        substr($s, $a->[0], $a->[1]) = $tb;
        return $s;
    }
    if ($op == 17) {    # a piece repeated many times
        return $s unless $len;
        my $at = ri($len);
        my $piece = substr($s, $at, 1 + ri(min(12, $len - $at)));
        my $times = pick(2, 10, 100, 1000, 5000, 20000);
        $times = int(60000 / length($piece)) if length($piece) * $times > 60000;
        substr($s, $at, 0) = $piece x $times;
        return $s;
    }
    if ($op == 18) {    # spliced with another seed of the type
        my $o = pick(@{$SEEDTEXT{$typ} || [$s]});
        return substr($s, 0, ri($len + 1)) . substr($o, ri(length($o) + 1));
    }
    if ($op == 19) {    # quote or backslash
        substr($s, ri($len + 1), 0) = pick('"', '\\', '\\"', '""', "'", '\\\\');
        return $s;
    }
    if ($op == 20) {    # the whole thing empty or blank
        return pick('', ' ', "\t", "\n", ' ' x 1000, "\xc2\xa0");
    }
    # a number of the text replaced with one of a different form
    my @sp = number_spans($s);
    return $s unless @sp;
    my ($at, $n) = @{pick(@sp)};
    substr($s, $at, $n) = pick('1.5', '1e2', '0x1f', '1/2', '٣', '１', '1 000', '1' . "\xcc\x81", '--1', '+-1', '1-', '.1', '1.');
    return $s;
}

sub min { $_[0] < $_[1] ? $_[0] : $_[1] }

sub mutate_text {
    my ($s, $typ) = @_;
    my $n = 1;
    $n++ while $n < 6 && chance(0.4);
    $s = mutate_text_once($s, $typ) for 1 .. $n;
    $s = substr($s, 0, 100000) if length($s) > 100000;
    return $s;
}

# ---------------------------------------------------------------------------
# Structure-aware text generators (valid-looking values with odd parts)
# ---------------------------------------------------------------------------
my @SECS = ('0', '0.000001', '0.0000005', '0.0000015', '1', '1.5', '60', '86400', '-1', '-0', '-0.000001',
    '9223372036854.775807', '9223372036854.775808', '9223372036854', '99999999999999', '1e3', '.5', '5.',
    '+3', ' 3', '3 ', '0.1234567', '18446744073709.551616', '4611686018427.387904', '2592000', '00001',
    '1.000000', 'NaN', 'Infinity', '170141183460469231731687303715884105727');

sub gen_nps {
    my @keys = ('promoters', 'passives', 'detractors');
    my @out;
    my $nk = chance(0.8) ? 3 : ri(6);
    for (1 .. $nk) {
        my $k = chance(0.85) ? pick(@keys) : pick('promoter', 'Promoters', 'PASSIVES', 'detractorsx', '', 'p', 'promoters_', "promoters\xcc\x81");
        $k = uc $k if chance(0.1);
        my $eq = chance(0.85) ? '=' : pick(':', ' = ', '==', '', ' ', '=+', '=-');
        my $v = chance(0.6) ? ri(100) : interesting_number(ri(100));
        push @out, $k . $eq . $v;
    }
    my $sep = chance(0.7) ? ' ' : pick(',', ', ', "\t", "\n", ';', '  ', '');
    return join($sep, @out);
}

sub gen_quadrant {
    my $q = pick('mandatory_good', 'mandatory_poor', 'optional_good', 'optional_poor');
    my $r = ri(8);
    $q =~ s/_/-/ if $r == 0;
    $q = uc $q if $r == 1;
    $q = ucfirst $q if $r == 2;
    $q .= pick('_', 'x', ' ', "\x00", '_good', "\xcc\x81") if $r == 3;
    $q = pick(' ', "\t", '"') . $q if $r == 4;
    $q =~ s/o/\xd0\xbe/ if $r == 5;       # Cyrillic o
    $q =~ s/i/\xc4\xb0/ if $r == 6;       # dotted capital I
    $q = substr($q, 0, ri(length $q)) if $r == 7;
    $q =~ s/\x00//g;
    return $q;
}

sub gen_curve {
    my $n = pick(0, 1, 2, 3, 5, 10, 50);
    my @pts;
    my $t = 0;
    for (1 .. $n) {
        my $secs;
        if (chance(0.7)) { $t += pick(0, 1, 0.5, 86400, 0.000001, 3600 * ri(100)); $secs = sprintf('%.6f', $t); $secs =~ s/\.?0+$//; $secs = '0' if $secs eq ''; }
        else { $secs = pick(@SECS); }
        my $re = chance(0.7) ? ri(5) : interesting_number(ri(5));
        my $ce = chance(0.7) ? ri(3) : interesting_number(ri(3));
        push @pts, "$secs:$re:$ce";
    }
    @pts = reverse @pts if chance(0.1);
    return join(chance(0.9) ? ' ' : pick("\t", "\n", '  ', ',', ''), @pts);
}

sub gen_sketch {
    my $acc = chance(0.7) ? pick('0.01', '0.0001', '0.1', '0.05', '0.001') : pick('0.00009999', '0.10000001', 'NaN', 'Infinity', '-0.01', '1e-320', '0', '1', '0.01 ', '1e-4', '.01', '0.0100000000000000001');
    my @b;
    my $idx = chance(0.8) ? ri(2000) : pick(-1, 0, 2147483647, 2147483648, 4294967296, 99999999, 1 << 24);
    my $nb = pick(0, 1, 2, 3, 10);
    my ($count, $total) = (0, 0);
    for (1 .. $nb) {
        my $c = chance(0.85) ? 1 + ri(5) : interesting_number(1);
        push @b, "$idx:$c";
        $total += $c if $c =~ /^\d{1,15}$/;
        $idx += chance(0.8) ? 1 + ri(50) : pick(0, -1, 100000, 2000000000);
    }
    my $zeros = chance(0.7) ? ri(3) : interesting_number(1);
    $total += $zeros if $zeros =~ /^\d{1,15}$/;
    $count = chance(0.7) ? $total : interesting_number($total);
    my ($min, $max, $sum) = (pick(@SECS, '0', '60'), pick(@SECS, '3600'), pick(@SECS, '3660'));
    my @f = ("accuracy=$acc", "count=$count", "zeros=$zeros", "min=$min", "max=$max", "sum=$sum", 'buckets=' . join(',', @b));
    if (chance(0.2)) { my $i = ri(scalar @f); my $j = ri(scalar @f); @f[$i, $j] = @f[$j, $i]; }
    splice(@f, ri(scalar @f), 1) if chance(0.05);
    push @f, $f[ri(scalar @f)] if chance(0.05);
    return join(' ', @f);
}

my @PERIODS = ('P7D', 'P1D', 'P1M', 'P3M', 'P1Y', 'PT1H', 'PT1H30M', 'P0D', 'P-7D', 'PT0S', 'P1M1D', 'P10000Y',
    'PT0.000001S', 'P1W', 'P', '', '1 day', '-1 day', 'P2147483647M', 'PT2562047788H', 'P-1M', 'P1DT-1S',
    'PT-0.000001S', 'P178000000Y', '@ 1 day', 'P0.5D', 'PT1S', 'P1M-30D', 'P2147483647D', 'PT9223372036.854775807S');
my @ZONES = ('UTC', 'Etc/UTC', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Foo/Bar', '',
    'UTC+5', '+05:30', 'EST5EDT', '<+0330>-3:30', 'posixrules', 'localtime', 'Factory', 'Etc/GMT+12', 'Mars/Base',
    'x' x 63, 'x' x 64, 'A' x 200, 'Europe/Berlin', 'PST8PDT', 'GMT', 'Z', 'utc', 'Pacific/Chatham', 'Europe/../UTC',
    '../../etc/passwd', 'Etc/GMT-14', 'America/St_Johns', 'Antarctica/Troll');

sub cq { my $s = shift; $s =~ s/(["\\])/\\$1/g; "\"$s\"" }

sub gen_cohort {
    my $type = chance(0.9) ? pick('text', 'bigint', 'uuid') : pick('int', '', 'text ', 'TEXT', 'uuid,');
    my $n = pick(0, 1, 2, 3, 5, 20);
    my @keys;
    for my $i (1 .. $n) {
        my $k;
        if ($type eq 'bigint') { $k = chance(0.8) ? $i * 7 - 20 : interesting_number($i); }
        elsif ($type eq 'uuid') { $k = chance(0.8) ? sprintf('%08x-0000-0000-0000-%012x', $i, $i * 3) : pick('0', 'not-a-uuid', '{00000000-0000-0000-0000-000000000000}', '00000000000000000000000000000000'); }
        else { $k = chance(0.7) ? "m$i" : pick('', 'é', '"', '\\', 'a' x 300, "\xf0\x9f\x98\x80", ' ', 'm' . $i . "\xcc\x81"); }
        push @keys, $k;
    }
    @keys = sort @keys if chance(0.8);
    my $base = chance(0.8) ? 1300 + ri(50) : interesting_number(1300);
    my @mem;
    for my $k (@keys) {
        my $first = chance(0.8) ? ($base =~ /^-?\d{1,15}$/ ? $base + ri(20) - 5 : $base) : pick(0, -1, 9007199254740992, 9007199254740993, -9007199254740992, 9223372036854775807, 2147483647, 2147483648);
        my $bits;
        my $r = rand();
        if ($r < 0.6) { $bits = '1' . join('', map { ri(2) } 1 .. ri(20)); $bits .= '1' if length($bits) > 1; }
        elsif ($r < 0.7) { $bits = '1' . ('0' x pick(9998, 9999, 10000, 10001, 20000)) . '1'; }
        else { $bits = pick('', '0', '10', '01', '12', '1 1', '1' x 10001, '2'); }
        push @mem, cq($k) . ":$first:$bits";
    }
    my $period = chance(0.6) ? 'P7D' : pick(@PERIODS);
    my $zone = chance(0.6) ? 'UTC' : pick(@ZONES);
    return 'period=' . cq($period) . ' time_zone=' . cq($zone) . " member_type=$type {" . join(',', @mem) . '}';
}

# Scales: the valid ones a survey uses or that sit at the ends of integer,
# and invalid ones (too wide, reversed, one point, beyond integer).
my @LK_SCALES = ([1, 5], [1, 5], [1, 7], [0, 10], [1, 2], [0, 1], [-3, 3], [1, 11], [-5, 5],
    [2147483637, 2147483647], [-2147483648, -2147483638], [2147483646, 2147483647]);
my @LK_BAD_SCALES = ([5, 1], [1, 1], [0, 11], [1, 12], [-2147483648, 2147483647], [2147483647, 2147483648],
    [-2147483649, -2147483640], [0, 0], [10, 0]);

sub gen_likert {
    my ($lo, $hi) = @{chance(0.85) ? pick(@LK_SCALES) : pick(@LK_BAD_SCALES)};
    $lo = interesting_number($lo) if chance(0.05);
    $hi = interesting_number($hi) if chance(0.05);
    my $points = ($lo =~ /^-?\d{1,12}$/ && $hi =~ /^-?\d{1,12}$/) ? $hi - $lo + 1 : 5;
    $points = 5 if $points < 0 || $points > 12;
    my $nc = chance(0.85) ? $points : pick(0, 1, $points - 1, $points + 1, 11, 12, 100);
    my @c;
    for (1 .. $nc) {
        my $r = rand();
        push @c, $r < 0.75 ? ri(pick(2, 10, 1000)) : $r < 0.9 ? pick('0', '9223372036854775807', '4611686018427387904',
            '1844674407370955161', '9223372036854775808', '-1', '-0', '+1', '00', '1.0', '') : interesting_number(ri(10));
    }
    my $csep = chance(0.9) ? ',' : pick(', ', ' ,', ',,', ' ', ';', "\t", '');
    my @f = ([pick('low', 'low', 'low', 'LOW', 'Low', 'lo', 'lowest', "l\xc3\xb6w"), $lo],
             [pick('high', 'high', 'high', 'HIGH', 'High', 'hi', 'highx', ''), $hi],
             [pick('counts', 'counts', 'counts', 'COUNTS', 'count', 'Counts'), '{' . join($csep, @c) . '}']);
    $f[2][1] = pick('{}', '{', '}', '[' . join(',', @c) . ']', join(',', @c), '{' . join(',', @c) . '}}', '{{1,2}}', 'NULL') if chance(0.05);
    if (chance(0.2)) { my $o = pick([1, 0, 2], [2, 0, 1], [2, 1, 0], [0, 2, 1], [1, 2, 0]); @f = @f[@$o]; }
    splice(@f, ri(scalar @f), 1) if chance(0.04);
    push @f, $f[ri(scalar @f)] if chance(0.04);
    my $sep = chance(0.8) ? ' ' : pick(',', ', ', "\t", "\n", '  ', '', ';', ',,');
    return join($sep, map { $_->[0] . (chance(0.93) ? '=' : pick(':', ' = ', '==', '', ' ', '=+', ': ')) . $_->[1] } @f);
}

my %GEN = (
    "$EXT.likert_summary" => \&gen_likert,
    "$EXT.nps_summary" => \&gen_nps,
    "$EXT.mandate_quadrant" => \&gen_quadrant,
    "$EXT.ttv_curve" => \&gen_curve,
    "$EXT.ttv_sketch" => \&gen_sketch,
    "$EXT.cohort_matrix" => \&gen_cohort,
);

sub random_string {
    my $n = pick(0, 1, 2, 5, 10, 30, 100, 1000);
    my $alpha = pick('0123456789', '0123456789:. -+e', 'abcdefghijklmnopqrstuvwxyz=, ', '"{}:,01\\ ', '');
    my $s = '';
    for (1 .. $n) {
        $s .= ($alpha ne '' && chance(0.9)) ? substr($alpha, ri(length $alpha), 1) : rand_char();
    }
    return $s;
}

# ---------------------------------------------------------------------------
# Binary mutations, aware of the layouts of the send() formats
# ---------------------------------------------------------------------------
# Field list of a send() output: [offset, size, kind]; kind is i8, i32, i64,
# f64, len (a length or count field), bound (an int32 end of a range) or bytes.
sub fields_of {
    my ($typ, $b) = @_;
    my $L = length $b;
    my @f;
    my $ok = eval {
        if ($typ eq "$EXT.nps_summary") {
            @f = ([0, 1, 'i8'], [1, 8, 'i64'], [9, 8, 'i64'], [17, 8, 'i64']);
        } elsif ($typ eq "$EXT.mandate_quadrant") {
            @f = ([0, 1, 'i8']);
        } elsif ($typ eq "$EXT.likert_summary") {
            @f = ([0, 1, 'i8'], [1, 4, 'bound'], [5, 4, 'bound']);
            for (my $o = 9; $o + 8 <= $L; $o += 8) { push @f, [$o, 8, 'i64']; }
        } elsif ($typ eq "$EXT.ttv_curve") {
            @f = ([0, 1, 'i8'], [1, 4, 'len']);
            for (my $o = 5; $o + 24 <= $L; $o += 24) { push @f, [$o, 8, 'i64'], [$o + 8, 8, 'i64'], [$o + 16, 8, 'i64']; }
        } elsif ($typ eq "$EXT.ttv_sketch") {
            @f = ([0, 1, 'i8'], [1, 8, 'f64'], [9, 8, 'i64'], [17, 8, 'i64'], [25, 8, 'i64'], [33, 8, 'i64'],
                  [41, 8, 'i64'], [49, 8, 'i64'], [57, 4, 'i32'], [61, 4, 'len']);
            for (my $o = 65; $o + 8 <= $L; $o += 8) { push @f, [$o, 8, 'i64']; }
        } elsif ($typ eq "$EXT.cohort_matrix") {
            @f = ([0, 1, 'i8'], [1, 1, 'i8'], [2, 4, 'i32'], [6, 4, 'i32'], [10, 8, 'i64'], [18, 4, 'len']);
            my $u32 = sub { my $at = shift; die if $at + 4 > $L; unpack('N', substr($b, $at, 4)) };
            my $zl = $u32->(18);
            die if $zl > $L;
            push @f, [22, $zl, 'bytes'];
            my $o = 22 + $zl;
            push @f, [$o, 4, 'len'];
            my $nm = $u32->($o);
            die if $nm > $L;
            $o += 4;
            for (1 .. $nm) {
                my $kl = $u32->($o);
                die if $kl > $L;
                push @f, [$o, 4, 'len'], [$o + 4, $kl, 'bytes'];
                $o += 4 + $kl;
                push @f, [$o, 8, 'i64'], [$o + 8, 4, 'len'];
                my $nb = $u32->($o + 8);
                die if $nb > 8 * $L;
                $o += 12;
                my $by = int(($nb + 7) / 8);
                push @f, [$o, $by, 'bytes'];
                $o += $by;
                die if $o > $L;
            }
        }
        1;
    };
    @f = () unless $ok;
    return grep { $_->[0] + $_->[1] <= $L && $_->[1] > 0 } @f;
}

my @I32 = (0, 1, -1, 2, 7, 8, 9, 63, 64, 65, 255, 256, 10000, 10001, 65535, 65536, 0x7fffffff, -0x80000000,
    0x40000000, 0x3fffffff, 1 << 24, 178956970, -2);
my @I64 = ('0', '1', '-1', '2', '1000000', '86400000000', '9223372036854775807', '-9223372036854775808',
    '9007199254740992', '9007199254740993', '-9007199254740992', '4611686018427387904', '4294967296',
    '3074457345618258603', '9223372036854775806', '2147483648', '-2');
my @F64 = ("\x7f\xf8\0\0\0\0\0\0", "\xff\xf8\0\0\0\0\0\0", "\x7f\xf0\0\0\0\0\0\0", "\xff\xf0\0\0\0\0\0\0",
    "\0\0\0\0\0\0\0\0", "\x80\0\0\0\0\0\0\0", "\0\0\0\0\0\0\0\x01", pack('d>', 0.01), pack('d>', 0.0001),
    pack('d>', 0.1), pack('d>', 1), pack('d>', 0.00009999), pack('d>', 0.10000001), pack('d>', -0.01),
    pack('d>', 0.05), pack('d>', 0.0100000001));

sub i64be { pack('q>', $_[0]) }

sub mutate_bin_once {
    my ($b, $typ) = @_;
    my $L = length $b;
    my $op = ri(14);
    my @f = $op <= 3 ? fields_of($typ, $b) : ();
    if ($op <= 3 && @f) {    # a field set to an interesting value
        my ($o, $n, $k) = @{pick(@f)};
        my $new;
        if ($k eq 'i8') { $new = chr(pick(0, 1, 2, 3, 4, 127, 128, 255, ri(256))); }
        elsif ($k eq 'i32') { $new = pack('l>', pick(@I32)); }
        elsif ($k eq 'bound') {
            my $cur = unpack('l>', substr($b, $o, 4));
            $new = pack('l>', chance(0.5) ? pick(@I32) : pick($cur + 1, $cur - 1, $cur + 10, $cur - 10, -$cur, $cur + 11));
        }
        elsif ($k eq 'len') {
            my $cur = unpack('l>', substr($b, $o, 4));
            $new = pack('l>', pick(@I32, $cur + 1, $cur - 1, $cur * 2, $L - $o - 4, $L - $o - 3, $L, -$cur));
        } elsif ($k eq 'i64') {
            if (chance(0.3)) {
                my $cur = unpack('q>', substr($b, $o, 8));
                $new = pack('q>', pick($cur + 1, $cur - 1, -$cur, $cur * 2, $cur + 1000000));
            } else { $new = i64be(pick(@I64)); }
        } elsif ($k eq 'f64') { $new = pick(@F64); }
        else {           # bytes: key, zone or activity
            $new = substr($b, $o, $n);
            my $r = ri(4);
            if ($r == 0) { substr($new, ri($n), 1) = chr(pick(0, 0xff, 0x80, 0xc3, 0x22, 0x5c, ri(256))); }
            elsif ($r == 1) { $new = ("\xff" x $n); }
            elsif ($r == 2) { $new = ("\0" x $n); }
            else { $new = join('', map { chr(ri(256)) } 1 .. $n); }
        }
        substr($b, $o, $n) = $new;
        return $b;
    }
    if ($op == 4 && $L) {    # a bit flipped
        my $at = ri($L);
        substr($b, $at, 1) = chr(ord(substr($b, $at, 1)) ^ (1 << ri(8)));
        return $b;
    }
    if ($op == 5 && $L) {    # a byte set
        substr($b, ri($L), 1) = chr(pick(0, 1, 0x7f, 0x80, 0xfe, 0xff, ri(256)));
        return $b;
    }
    if ($op == 6 && $L >= 4) {    # four or eight bytes at any offset
        my $w = chance(0.5) && $L >= 8 ? 8 : 4;
        my $at = ri($L - $w + 1);
        substr($b, $at, $w) = $w == 8 ? i64be(pick(@I64)) : pack('l>', pick(@I32));
        return $b;
    }
    if ($op == 7) {    # truncated
        return substr($b, 0, ri($L + 1));
    }
    if ($op == 8) {    # bytes appended
        my $r = ri(3);
        return $b . join('', map { chr(ri(256)) } 1 .. 1 + ri(16)) if $r == 0;
        return $b . ("\0" x pick(1, 4, 8, 24, 1000)) if $r == 1;
        return $b . substr($b, ri($L + 1));
    }
    if ($op == 9 && $L) {    # bytes inserted
        substr($b, ri($L + 1), 0) = join('', map { chr(ri(256)) } 1 .. pick(1, 4, 8));
        return $b;
    }
    if ($op == 10 && $L) {    # a range deleted
        my $at = ri($L);
        substr($b, $at, 1 + ri(min(24, $L - $at))) = '';
        return $b;
    }
    if ($op == 11 && $L) {    # a range duplicated, e.g. one point or bucket more
        my $n = pick(1, 4, 8, 24, 8, 8);
        my $at = $L > $n ? ri($L - $n + 1) : 0;
        my $piece = substr($b, $at, $n);
        substr($b, $at, 0) = $piece x pick(1, 1, 2, 10);
        return $b;
    }
    if ($op == 12) {    # spliced with another seed
        my $o = pick(@{$SEEDTEXT{"bin:$typ"} || [$b]});
        return substr($b, 0, ri($L + 1)) . substr($o, ri(length($o) + 1));
    }
    if ($op == 13) {    # random bytes of the same length or empty
        return chance(0.2) ? '' : join('', map { chr(ri(256)) } 1 .. $L);
    }
    return $b;
}

sub mutate_bin {
    my ($b, $typ) = @_;
    my $n = 1;
    $n++ while $n < 5 && chance(0.35);
    $b = mutate_bin_once($b, $typ) for 1 .. $n;
    return $b;
}

# ---------------------------------------------------------------------------
# JSON for ingest()
# ---------------------------------------------------------------------------
sub jstr {
    my $s = shift;
    $s =~ s/(["\\])/\\$1/g;
    $s =~ s/\n/\\n/g;
    $s =~ s/\t/\\t/g;
    $s =~ s/\r/\\r/g;
    $s =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
    return "\"$s\"";
}
# Values: ['s', str], ['n', rawnumber], ['raw', json text], ['o', [[k, v], ...]], ['a', [v, ...]]
sub jenc {
    my $v = shift;
    my ($t, $x) = @$v;
    return jstr($x) if $t eq 's';
    return $x if $t eq 'n' || $t eq 'raw';
    return '[' . join(',', map { jenc($_) } @$x) . ']' if $t eq 'a';
    return '{' . join(',', map { jstr($_->[0]) . ':' . jenc($_->[1]) } @$x) . '}';
}

my @TEAMS = ('team-a', 'team-b', "t\xc3\xabam-\xc3\xbc");
my @CAPS = ('ci', 'deploy');
sub ts_str {
    my ($m, $tref) = @_;    # $tref: seconds after 2026-01-01 of the previous timestamp of the event
    $m //= 1;
    if (chance(1 - 0.2 * $m)) {
        my $t = $tref ? ($$tref += ri(10 * 86400)) : ri(360 * 86400);
        my @g = gmtime(1767225600 + $t);
        return sprintf('%04d-%02d-%02dT%02d:%02d:%02d%sZ', $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1], $g[0],
                       chance(0.3) ? sprintf('.%06d', ri(1000000)) : '');
    }
    return pick('2026-03-01', '2026-03-01 10:00:00+02', 'now', 'today', 'tomorrow', 'infinity', '-infinity', 'epoch',
        '2026-13-01', '2026-02-30', '294277-01-01', '294276-12-31 23:59:59.999999+00', '4714-11-24 00:00:00+00 BC',
        '4714-11-23 BC', 'allballs', '2026-01-01 Foo/Bar', '2026-01-01 Europe/Berlin', 'J2451187', 'Jan 8 99',
        '1999-01-08 04:05:06 PST', '', ' ', '2026', '10:00', '2026-01-01T25:00:00Z', '2026-01-01 24:00:00',
        '2026-01-01T10:00:00+15:00', '2026-01-01T10:00:00+16:00', '20260101T100000', 'x' x 127, '1' x 128,
        join(' ', (1) x 30), '2026-01-01 ' . ('0' x 100), "2026-01-01\xc2\xa010:00", 'yesterday allballs');
}
sub jval_edge {
    return pick(['n', '0'], ['n', '-1'], ['n', '11'], ['n', '10'], ['n', '9.5'], ['n', '9.0'], ['n', '1e1'],
        ['n', '1E400'], ['n', '-0'], ['n', '10.0000000000000000001'], ['s', '9'], ['raw', 'null'], ['raw', 'true'],
        ['raw', 'false'], ['a', []], ['o', []], ['s', ''], ['s', ' '], ['s', 'x' x pick(100, 10000)],
        ['s', "\xf0\x9f\x98\x80"], ['s', ts_str()], ['n', '1000000'], ['n', '999999.999999'], ['n', '1e-300'],
        ['n', '0.0000001'], ['n', '123456789012345678901234567890'], ['s', 'NaN'], ['s', "a\x01b"],
        ['a', [['n', '1']]], ['o', [['k', ['s', 'v']]]]);
}
sub jevent {
    my $m = shift // 1;    # how likely a field is made odd
    my $ov = sub { my ($valid, $odd) = @_; chance(0.3 * $m) ? pick(@$odd) : pick(@$valid) };
    my $type = chance(1 - 0.05 * $m) ? pick('usage', 'survey', 'onboarding', 'feedback', 'unplanned')
                            : pick('Usage', '', 'usage ', 'other', 'unknown');
    my $id = pick('u', 'r', 'f', 'e') . ri(chance(0.5) ? 5 : 100000);
    my @f = (['type', ['s', $type]]);
    my $t0 = ri(300 * 86400);    # the event's timestamps in order
    my %spec = (
        usage      => [['event_id', ['s', $id]], ['team', ['s', pick(@TEAMS)]], ['capability', ['s', pick(@CAPS)]],
                       ['occurred_at', ['s', ts_str($m, \$t0)]], ['kind', ['s', $ov->(['use', 'adopt', 'abandon'], ['USE', '', 'x'])]]],
        survey     => [['response_id', ['s', $id]], ['wave', ['s', $ov->(['2026-Q1', '2026-Q2'], [''])]], ['team', ['s', pick(@TEAMS)]],
                       ['capability', chance(0.5) ? ['s', pick(@CAPS)] : ['raw', 'null']], ['question', ['s', $ov->(['nps', 'ease'], [''])]],
                       ['score', ['n', ri(11)]], ['comment', chance(0.5) ? ['s', pick('ok', "gr\xc3\xa4t", '')] : ['raw', 'null']],
                       ['submitted_at', ['s', ts_str($m, \$t0)]],
                       ['submission_id', chance(0.5) ? ['s', $ov->(['0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b', '{0B6F4E1C3D2A4F8E9C1B7A5D2E8F0C3' . ri(10) . '}',
                                                                     sprintf('%08x-0000-4000-8000-%012x', ri(1000), ri(1000))],
                                                                    ['0b6f4e1c', 'not-a-uuid', '0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3', '-0b6f4e1c3d2a4f8e9c1b7a5d2e8f0c3b'])]
                                                    : ['raw', 'null']]],
        onboarding => [['subject', ['s', pick('ana', 'bo', 'cy') . ri(5)]], ['team', ['s', pick(@TEAMS)]],
                       ['milestone', ['s', $ov->(['first_deploy', 'first_build'], [''])]], ['started_at', ['s', ts_str($m, \$t0)]],
                       ['reached_at', chance(0.5) ? ['s', ts_str($m, \$t0)] : ['raw', 'null']]],
        feedback   => [['feedback_id', ['s', $id]], ['team', ['s', pick(@TEAMS)]], ['capability', ['s', pick(@CAPS)]],
                       ['channel', ['s', pick('slack', 'survey', 'other')]], ['theme', ['s', 'speed']], ['received_at', ['s', ts_str($m, \$t0)]],
                       ['synthesized_at', ['s', ts_str($m, \$t0)]], ['acted_at', ['s', ts_str($m, \$t0)]], ['communicated_at', ['s', ts_str($m, \$t0)]]],
        unplanned  => [['event_id', ['s', $id]], ['team', ['s', pick(@TEAMS)]], ['capability', ['s', pick(@CAPS)]],
                       ['cause', ['s', 'incident']], ['occurred_at', ['s', ts_str($m, \$t0)]], ['hours', ['n', pick('1', '0.5', '8', '24')]]],
    );
    my $fields = $spec{$type} || $spec{pick(sort keys %spec)};
    for my $fv (@$fields) {
        next if chance(0.1 * $m);            # optional and required fields left out
        push @f, [$fv->[0], $fv->[1]];
    }
    if (chance(0.35 * $m)) { my $i = ri(scalar @f); $f[$i] = [$f[$i][0], jval_edge()]; }
    if (chance(0.1 * $m)) { my $i = ri(scalar @f); $f[$i] = [$f[$i][0], jval_edge()]; }
    push @f, [pick('extra', 'Team', 'score ', '', 'type'), jval_edge()] if chance(0.05 * $m);
    @f = reverse @f if chance(0.1);
    return ['o', \@f];
}
sub gen_batch {
    my $r = rand();
    return jenc(pick(['o', []], ['s', 'x'], ['n', '1'], ['raw', 'null'], ['a', [['a', []]]], ['a', [['raw', 'null']]], jevent())) if $r < 0.05;
    my $n = pick(0, 1, 1, 2, 3, 5, 10, 30, 200);
    my $m = chance(0.5) ? 0 : 1 / (1 + $n / 10);   # half the batches are valid
    my @ev = map { jevent($m) } 1 .. $n;
    push @ev, $ev[ri(scalar @ev)] if @ev && chance(0.2);    # a re-sent event
    return jenc(['a', \@ev]);
}

# ---------------------------------------------------------------------------
# io: text, binary and ingest inputs
# ---------------------------------------------------------------------------
if ($mode eq 'io') {
    my (%seeds, %bins);
    for my $row (read_tsv("$dir/seeds.tsv")) {
        my ($typ, $txt, $hex) = @$row;
        push @{$seeds{$typ}}, $txt;
        push @{$bins{$typ}}, pack('H*', $hex) if defined $hex && length($hex) <= 2 * 16384;
    }
    my @types = sort keys %seeds;
    die "gen.pl: no seeds\n" unless @types;
    $SEEDTEXT{$_} = $seeds{$_} for @types;
    $SEEDTEXT{"bin:$_"} = $bins{$_} for @types;
    my %w = ("$EXT.mandate_quadrant" => 0.4, "$EXT.nps_summary" => 0.9, "$EXT.likert_summary" => 0.9, "$EXT.ttv_curve" => 1, "$EXT.ttv_sketch" => 1.2, "$EXT.cohort_matrix" => 1.5);
    my @targets;
    for my $t (@types) {
        push @targets, ['text', $t, 6 * ($w{$t} // 1)];
        push @targets, ['binary', $t, 4 * ($w{$t} // 1)] if $bins{$t};
    }
    push @targets, ['ingest', 'jsonb', 3];
    my @n = split_count($count, map { $_->[2] } @targets);
    for my $i (0 .. $#targets) {
        my ($kind, $typ) = @{$targets[$i]};
        my $st = short_type($typ);
        if ($kind eq 'text') {
            my @s = @{$seeds{$typ}};
            for my $k (1 .. $n[$i]) {
                my $r = rand();
                my $in;
                if ($k <= @s) { emit("text:$st", 'text', $typ, $s[$k - 1], undef, undef, 1); next; }   # the seeds themselves
                elsif ($r < 0.08) { $in = random_string(); }
                elsif ($r < 0.3 && $GEN{$typ}) { $in = $GEN{$typ}->(); $in = mutate_text($in, $typ) if chance(0.3); }
                else { $in = mutate_text(pick(@s), $typ); }
                emit("text:$st", 'text', $typ, $in, undef, undef);
            }
        } elsif ($kind eq 'binary') {
            my @s = @{$bins{$typ}};
            for my $k (1 .. $n[$i]) {
                my $in;
                if ($k <= @s) { emit("binary:$st", 'binary', $typ, undef, $s[$k - 1], undef, 1); next; }
                if ($typ eq "$EXT.mandate_quadrant" && $k <= @s + 256) { $in = chr($k - @s - 1); }   # every byte
                elsif (chance(0.03)) { $in = join('', map { chr(ri(256)) } 1 .. pick(0, 1, 2, 8, 25, 64, 200)); }
                else { $in = mutate_bin(pick(@s), $typ); }
                emit("binary:$st", 'binary', $typ, undef, $in, undef);
            }
        } else {
            for my $k (1 .. $n[$i]) {
                my $j = gen_batch();
                $j = mutate_text($j, 'json') if chance(0.05);
                my $sql = "SELECT md5(string_agg(r::text, '|')) FROM $EXT.ingest(" . sq($j) . "::jsonb) r";
                emit('ingest', 'sql', undef, $sql, undef, undef);
            }
        }
    }
    die "gen.pl: emitted $emitted, not $count\n" unless $emitted == $count;
    exit 0;
}

# ---------------------------------------------------------------------------
# calls: every function and aggregate with arguments from pools of edge values
# ---------------------------------------------------------------------------
die "gen.pl: unknown mode $mode\n" unless $mode eq 'calls';

my (%pool, %pooltxt);    # typ => [ids]; id => text
for my $row (read_tsv("$dir/pool.tsv")) {
    my ($id, $typ, $txt) = @$row;
    push @{$pool{$typ}}, $id;
    $pooltxt{$id} = $txt;
}
# Pool values grouped by what must match to merge them (sketch accuracy;
# cohort period, zone and member type; likert scale), for rollups and for the
# second argument of a merge or a comparison.
my (%family, %famof);
for my $typ (sort keys %pool) {
    for my $id (@{$pool{$typ}}) {
        my $t = $pooltxt{$id};
        my $fam = $typ;
        if ($t =~ /^(accuracy=\S+)/) { $fam .= " $1"; }
        elsif ($t =~ /^(period="[^"]*" time_zone="[^"]*" member_type=\w+)/) { $fam .= " $1"; }
        elsif ($t =~ /^(low=-?\d+ high=-?\d+) /) { $fam .= " $1"; }
        push @{$family{$fam}}, $id;
        $famof{$id} = $fam;
    }
}

my %PRIM = (
    'integer' => [qw(0 1 -1 2 5 6 7 8 9 10 11 -2147483648 2147483647 100 3 NULL)],
    'bigint' => [qw(0 1 -1 2 10 100 150 9223372036854775807 -9223372036854775808 4 NULL)],
    'double precision' => [qw(0 -0 1 -1 0.5 0.9 0.95 0.99 0.999999999999 1e-300 4.9e-324 1e308 NaN Infinity
        -Infinity 0.0001 0.00009999 0.1 0.10000001 100 -100 30 54 12 2.5 1.0000000001 0.05 0.25 0.75 NULL)],
    'double precision[]' => ['{}', '{0.5}', '{NULL}', '{0,1}', '{0.5,NULL,0.9}', '{NaN}', '{{0.5,0.9},{0.1,0.2}}',
        '{-1}', '{1.5}', '[0:1]={0.1,0.2}', '{Infinity}', '{0,0.25,0.5,0.75,1}', '{1,0}', '[-5:-5]={0.5}', 'NULL',
        'EXPR:array_fill(0.5::float8, ARRAY[1000])', 'EXPR:array_fill(0.5::float8, ARRAY[2,2,2])'],
    'boolean' => [qw(true false NULL)],
    'interval' => ['0', '1 second', '-1 second', '1 microsecond', '0.5 microseconds', '1 day', '1 week', '7 days',
        '1 month', '3 months', '1 year', '1 mon 1 day', '1 day 1 second', '1 hour', '90 minutes', '-1 day',
        '-1 month', '178000000 years', '-178000000 years', '290000 years', '2147483647 days', '2147483647 months',
        '-2147483648 months', '1 mon -30 days', '10000 weeks', '100 years', '2562047788:00:54.775807', 'NULL',
        '-2147483648 days -2562047788:00:54.775808', '30 days', '1 day -24 hours', '24 hours'],
    'timestamp with time zone' => ['2026-01-01', '2026-01-01 00:00:00.000001', '2026-06-01', 'infinity', '-infinity',
        'epoch', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59.999999+00', '2000-01-01', '1970-01-01',
        '2026-03-29 02:30 Europe/Berlin', '2026-01-05 00:00+14', 'NULL', 'EXPR:now()', '2026-12-31 23:59:59.999999',
        '2001-01-01 00:00:00', '1999-12-31 23:59:59.999999'],
    'text' => ['', 'a', 'team-a', "\xc3\xa9", 'EXPR:repeat(\'x\', 10000)', '"\\', '2026-01-01', '2026-01-01T10:00:00Z',
        'now', 'today', 'infinity', '-infinity', '2026-13-01', '294277-01-01', '294276-12-31 23:59:59.999999+00',
        'allballs', 'epoch', '2026-01-01 Foo/Bar', '2026-01-01 Europe/Berlin', 'J2451187', '1999-01-08 04:05:06 PST',
        'Jan 8 99', 'x' x 127, '1' x 128, join(' ', (1) x 30), '4714-11-23 BC', '2026-01-01 24:00', 'NULL', ' ',
        '2026-01-01 10:00:00 +15:59', '2026-01-01 10:00:00 UTC+5', 'yesterday 25:00'],
    'uuid' => ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        'c4ca4238-a0b9-2382-0dcc-509a6f75849b', 'NULL'],
    'cstring' => ['', 'x', 'NULL'],
);
my @JSONB;
push @JSONB, gen_batch() for 1 .. 40;
$PRIM{'jsonb'} = [@JSONB, 'NULL', '{}', '[]', 'null', '[{}]', '"x"'];

sub lit {
    my ($typ, $v) = @_;
    return "NULL::$typ" if $v eq 'NULL';
    return "($1)::$typ" if $v =~ /^EXPR:(.*)$/s;
    return sq($v) . "::$typ";
}

# An argument of type typ: [sql, pool id or undef]; table refs (pushed on
# refs) are fuzz.pool_<type> rows read from a table, so in their stored form
# (short varlena headers, compressed, toasted).  fam: pool ids to prefer (the
# family of an earlier argument: values that merge or compare).
my $aliasn;
sub arg_for {
    my ($typ, $name, $refs, $fam) = @_;
    if ($pool{$typ}) {
        return ["NULL::$typ"] if chance(0.08);
        my @ids = ($fam && @$fam && chance(0.7)) ? @$fam : @{$pool{$typ}};
        my $id = pick(@ids);
        if (chance(0.5)) {
            my $a = 't' . (++$aliasn);
            my $tab = 'pool_' . short_type($typ);
            push @$refs, [$a, $tab, $id, $typ];
            return ["$a.v", $id];
        }
        return [sq($pooltxt{$id}) . "::$typ", $id];
    }
    my $p = $PRIM{$typ};
    return ["NULL::$typ"] unless $p;
    return [lit($typ, pick(@$p))];
}

# A point of the scale lo..hi or just outside it (within integer).
sub scale_int {
    my ($lo, $hi) = @_;
    my $v = pick($lo, $hi, $lo + 1, $hi - 1, $lo + ri($hi - $lo + 1), $lo + ri($hi - $lo + 1), $lo - 1, $hi + 1);
    $v = $lo if $v < -2147483648 || $v > 2147483647;
    return "$v\::integer";
}

# Properties of results (r is the result, a1, a2, ... the arguments), by
# signature without the schema, else by function name.  The fuzz.lk_*
# functions read likert_summary values from their text form (fuzz.sql): an
# independent computation of the accessors and statistics.
my %PROP = (
    'nps' => 'r IS NULL OR (r >= -100 AND r <= 100)',
    'nps_ci' => 'r IS NULL OR ((r).low IS NULL AND (r).high IS NULL) OR ((r).low <= (r).high AND (r).low >= -100 AND (r).high <= 100)',
    'nps_margin' => 'r IS NULL OR (r >= 0 AND r <= 100)',
    'nps_test' => 'r IS NULL OR (r >= 0 AND r <= 1)',
    'promoters' => 'r IS NULL OR r >= 0', 'passives' => 'r IS NULL OR r >= 0',
    'detractors' => 'r IS NULL OR r >= 0', 'responses' => 'r IS NULL OR r >= 0',
    'ttv_count' => 'r IS NULL OR r >= 0', 'ttv_reached' => 'r IS NULL OR r >= 0', 'ttv_censored' => 'r IS NULL OR r >= 0',
    'ttv_accuracy' => 'r IS NULL OR (r >= 0.0001 AND r <= 0.1)',
    'ttv_min' => "r IS NULL OR r >= interval '0'", 'ttv_max' => "r IS NULL OR r >= interval '0'",
    'ttv_mean' => "r IS NULL OR r >= interval '0'",
    'ttv_points' => '((r).survival >= 0 AND (r).survival <= 1 AND (r).reached_share >= 0 AND (r).reached_share <= 1 AND (r).at_risk >= 0) AND ((r).survival_low IS NULL OR ((r).survival_low >= 0 AND (r).survival_high <= 1 AND (r).survival_low <= (r).survival_high))',
    'cohort_rows' => '((r).active IS NULL OR ((r).active >= 0 AND (r).active <= (r).cohort_size AND (r).retention >= 0 AND (r).retention <= 1 AND (r).active <= (r).active_or_after)) IS NOT FALSE',
    'responses(likert_summary)' => 'r IS NULL OR r = fuzz.lk_count(a1::text)',
    'mean_score(likert_summary)' => 'a1 IS NULL OR ((r IS NULL) = (fuzz.lk_count(a1::text) = 0) AND (r IS NULL OR (r >= fuzz.lk_low(a1::text) AND r <= fuzz.lk_high(a1::text) AND abs(r - fuzz.lk_mean(a1::text)) <= 1e-9 * greatest(1, abs(r)))))',
    'distribution(likert_summary)' => 'r IS NULL OR (array_lower(r, 1) = 1 AND r::numeric[] = fuzz.lk_counts(a1::text))',
    'favorable_share(likert_summary,integer)' => 'r IS NULL OR r = fuzz.lk_count(a1::text, a2)::float8 / fuzz.lk_count(a1::text)::float8',
    'favorable_ci(likert_summary,integer,double precision,bigint)' => '((r).low IS NULL AND (r).high IS NULL) OR (0 <= (r).low AND (r).low <= favorable_share(a1, a2) AND favorable_share(a1, a2) <= (r).high AND (r).high <= 1)',
    'mean_ci(likert_summary,double precision,bigint)' => '((r).low IS NULL AND (r).high IS NULL) OR ((r).low <= mean_score(a1) AND mean_score(a1) <= (r).high)',
    'favorable_test(likert_summary,likert_summary,integer)' => 'r IS NULL OR (r >= 0 AND r <= 1)',
    'favorable_diff_ci(likert_summary,likert_summary,integer,double precision)' => '((r).low IS NULL AND (r).high IS NULL) OR (-1 <= (r).low AND (r).low <= favorable_share(a2, a3) - favorable_share(a1, a3) AND favorable_share(a2, a3) - favorable_share(a1, a3) <= (r).high AND (r).high <= 1)',
    'rank_test(likert_summary,likert_summary)' => 'r IS NULL OR (r >= 0 AND r <= 1)',
    'likert_summary_sfunc(likert_summary,integer,integer,integer)' => 'r IS NULL OR fuzz.lk_count(r::text) = fuzz.lk_count(a1::text) + (a2 IS NOT NULL)::int',
    'likert_summary_combine(likert_summary,likert_summary)' => 'r IS NULL OR r::text = fuzz.lk_sum(ARRAY[a1::text, a2::text], true)',
    '+(likert_summary,likert_summary)' => 'r IS NULL OR r::text = fuzz.lk_sum(ARRAY[a1::text, a2::text], true)',
    'likert_summary_ffunc(likert_summary)' => '(r IS NULL) = (fuzz.lk_count(a1::text) = 0) AND (r IS NULL OR r::text = a1::text)',
);

# Types of the extension: results of these must read back from their text form.
my %EXTTYPE = map { $_ => 1 } keys %pool;

sub call_input {
    my ($f) = @_;
    my @types = split /;/, $f->{argtypes}, -1;
    @types = () if $f->{argtypes} eq '';
    my @names = split /;/, $f->{argnames}, -1;
    my $nargs = @types;
    $nargs -= ri($f->{ndefaults} + 1) if $f->{ndefaults} && chance(0.4);
    my (@args, @refs, %fam, $scale);
    $aliasn = 0;
    # likert_summary_sfunc(state, score, low, high) has unnamed arguments
    my $sfunc_scale = $f->{argtypes} eq "$EXT.likert_summary;integer;integer;integer";
    for my $i (0 .. $nargs - 1) {
        my $t = $types[$i];
        if ($t eq 'integer' && $scale && chance(0.75)) {
            # a point of the scale of an earlier likert_summary argument (favorable_from)
            push @args, ($sfunc_scale && $i >= 2 && chance(0.9)) ? $scale->[$i - 2] . '::integer' : scale_int(@$scale);
            next;
        }
        my $a = arg_for($t, $names[$i] // '', \@refs, $fam{$t});
        push @args, $a->[0];
        next unless defined $a->[1];
        $fam{$t} //= $family{$famof{$a->[1]}};
        $scale //= [$1, $2] if $t eq "$EXT.likert_summary" && $pooltxt{$a->[1]} =~ /^low=(-?\d+) high=(-?\d+) /;
    }
    my $call = $f->{op} ? "($args[0] $f->{name} $args[1])" : "$f->{name}(" . join(', ', @args) . ')';
    (my $bare = $f->{name}) =~ s/^.*\.//;
    (my $sig = $f->{signature}) =~ s/\Q$EXT\E\.//g;
    my @props;
    my $p = $PROP{$sig} // $PROP{$bare};
    push @props, [$p, "property of $sig: $p"] if $p;
    push @props, ['fuzz.reads_back(r)', "the result of $sig reads back from its text form"]
        if $EXTTYPE{$f->{rettype}} && $f->{retset} ne 't';
    my $prop = @props ? join(', ', map { "fuzz.check(bool_and($_->[0]), " . sq($_->[1]) . ')' } @props) : 'true';
    # the arguments the properties read
    my $argcols = join('', map { ", $args[$_ - 1] AS a$_" } grep { my $k = $_; grep { $_->[0] =~ /\ba$k\b/ } @props } 1 .. @args);
    my $from = join(', ', map { "fuzz.$_->[1] $_->[0]" } @refs);
    my $where = join(' AND ', map { "$_->[0].id = $_->[2]" } @refs);
    my $unchanged = @refs ? join(' AND ', map { "$_->[0].v::text = $_->[0].txt" } @refs) : 'true';
    my ($inner, $sql);
    if ($f->{retset} eq 't') {
        # (the arguments are checked once, after the rows: their tables read again)
        $inner = 'SELECT r FROM ' . ($from ? "$from CROSS JOIN LATERAL " : '') . "$call AS r" . ($where ? " WHERE $where" : '');
        $sql = "SELECT $prop, md5(string_agg(r::text, '|')), fuzz.check((SELECT bool_and($unchanged)"
             . ($from ? " FROM $from WHERE $where" : '') . "), 'arguments unchanged by the call') FROM ($inner) s";
    } else {
        $inner = "SELECT $call AS r, $unchanged AS ok$argcols" . ($from ? " FROM $from WHERE $where" : '');
        $sql = "SELECT fuzz.check(bool_and(ok), 'arguments unchanged by the call'), $prop, md5(string_agg(r::text, '|')) FROM ($inner) s";
    }
    my $repro = $f->{retset} eq 't' ? "SELECT * FROM $call;" : "SELECT $call;";
    if (@refs) {
        # The same statement on temp tables holding the values (stored the same way).
        my $pre = join('', map { "CREATE TEMP TABLE $_->[0] AS SELECT $_->[2] AS id, " . sq($pooltxt{$_->[2]}) . "::$_->[3] AS v, " . sq($pooltxt{$_->[2]}) . "::text AS txt;\n" } @refs);
        (my $s2 = $inner) =~ s/fuzz\.pool_\w+ (t\d+)/pg_temp.$1 $1/g;
        $repro = $pre . "SELECT md5(string_agg(r::text, '|')) FROM ($s2) s;";
    }
    $repro .= join('', map { "\n-- checked (fuzz.* is in the fuzz database, FUZZ_KEEP=1): $_->[0]" } @props);
    return ($sql, $repro);
}

# ---------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------
my @PARAM_NAMES = qw(p relative_accuracy as_of period confidence threshold low high);

# The scale of the likert_summary(score, low, high) input being generated:
# [low, high], the bounds every row passes and its scores mostly fall in.
my ($AGG_SCALE, $AGG_SCALE_EXACT);

sub tslit {
    my ($secs) = @_;    # seconds after 2026-01-01 00:00 UTC
    my $us = int($secs * 1e6 + 0.5);
    return sprintf("'2026-01-01 00:00:00+00'::timestamptz + interval '%d microseconds'", $us);
}

# A value of argument (typ, name) for one row; state carries per-row links
# (reached_at after started_at).
sub row_value {
    my ($typ, $name, $st, $fam) = @_;
    if ($pool{$typ}) {
        return "NULL::$typ" if chance(0.08);
        my @ids = ($fam && chance(0.85)) ? @$fam : @{$pool{$typ}};
        return sq($pooltxt{pick(@ids)}) . "::$typ";
    }
    if ($typ eq 'integer' && $name eq 'score' && $AGG_SCALE) {
        my ($lo, $hi) = @$AGG_SCALE;
        return 'NULL::integer' if chance(0.06);
        return ($lo + ri($hi - $lo + 1)) . '::integer' if chance(0.9) && $hi - $lo < 20;
        return scale_int($lo, $hi) if chance(0.7);
    }
    if ($typ eq 'integer') {
        return chance(0.85) ? ri(11) . '::integer' : lit($typ, pick(@{$PRIM{integer}}));
    }
    if ($typ eq 'interval') {
        return lit($typ, pick(@{$PRIM{interval}})) if chance(0.07);
        return 'NULL::interval' if chance(0.05);
        my $r = ri(5);
        return "interval '" . ri(30) . " days'" if $r == 0;
        return "interval '" . (ri(1000000) / 1000) . " seconds'" if $r == 1;
        return "interval '" . ri(72) . " hours'" if $r == 2;
        return "interval '0'" if $r == 3;
        return "interval '" . ri(3) . ' mon ' . ri(40) . " days'";
    }
    if ($typ eq 'timestamp with time zone') {
        return lit($typ, pick(@{$PRIM{$typ}})) if chance(0.04);
        if ($name eq 'reached_at') {
            return 'NULL::timestamptz' if chance(0.25);
            my $s = $st->{started} // ri(100 * 86400);
            return tslit($s + (chance(0.95) ? pick(0, 0.000001, ri(3600), ri(40 * 86400), ri(10) * 86400) : -1));
        }
        my $s = pick(ri(100 * 86400), ri(100) * 86400, ri(2000) * 3600);
        $st->{started} = $s;
        return tslit($s);
    }
    if ($typ eq 'text') { return chance(0.9) ? sq(pick('a', 'b', 'c', 'team-a', "\xc3\xa9", '', 'q"\\')) : lit($typ, pick(@{$PRIM{text}})); }
    if ($typ eq 'bigint') { return chance(0.9) ? (ri(6) - 2) . '::bigint' : lit($typ, pick(@{$PRIM{bigint}})); }
    if ($typ eq 'uuid') { return chance(0.9) ? sq(sprintf('%08x-0000-0000-0000-000000000000', ri(5))) . '::uuid' : lit($typ, pick(@{$PRIM{uuid}})); }
    return lit($typ, pick(@{$PRIM{$typ} || ['NULL']}));
}

sub param_value {
    my ($typ, $name) = @_;
    if ($name eq 'p' && chance(0.8)) {
        return $typ eq 'double precision' ? pick('0', '0.5', '0.9', '1', '0.25', '0.99', '0.1', '0.333333333333') . '::float8'
             : lit($typ, pick('{0.5}', '{0,0.5,1}', '{0.9,0.1}', '{0.5,NULL}', '{{0.1,0.2},{0.3,0.4}}', '{}'));
    }
    if ($name eq 'relative_accuracy' && chance(0.8)) { return pick('0.01', '0.0001', '0.1', '0.05', '0.001') . '::float8'; }
    if ($name eq 'as_of' && chance(0.8)) { return pick("'2026-12-31'::timestamptz", "'2026-02-01'::timestamptz", 'NULL::timestamptz'); }
    if ($name eq 'period' && chance(0.8)) { return lit($typ, pick('1 day', '1 week', '1 month', '3 months', '1 year', '1 hour', '7 days', '90 minutes')); }
    if ($name eq 'confidence' && chance(0.8)) { return pick('0.95', '0.9', '0.99', '0.5', '0.8', '0.999999') . '::float8'; }
    if (($name eq 'low' || $name eq 'high') && $AGG_SCALE && ($AGG_SCALE_EXACT || chance(0.95))) { return $AGG_SCALE->[$name eq 'low' ? 0 : 1] . '::integer'; }
    return row_value($typ, $name, {}, undef);
}

# Columns of fuzz.prows (pools.sql) for (type, name).
sub prows_col {
    my ($typ, $name) = @_;
    return 'sub' if $name eq 'submission';
    return 'item' if $name eq 'item';
    return 'fs' if $name eq 'score' && $typ eq 'double precision';
    return 'score' if $typ eq 'integer';
    return 'iv' if $typ eq 'interval';
    return 'rt' if $name eq 'reached_at';
    return 'st' if $name eq 'started_at';
    return 'act' if $name eq 'active_at';
    return 'mt' if $typ eq 'text';
    return 'mb' if $typ eq 'bigint';
    return 'mu' if $typ eq 'uuid';
    return 'ns' if $typ eq "$EXT.nps_summary";
    return 'cv' if $typ eq "$EXT.ttv_curve";
    return 'sk' if $typ eq "$EXT.ttv_sketch";
    return 'cm' if $typ eq "$EXT.cohort_matrix";
    return 'mq' if $typ eq "$EXT.mandate_quadrant";
    return 'ls' if $typ eq "$EXT.likert_summary";
    return undef;
}

# Rows (submission, item, score[, confidence]) for Cronbach's alpha, in the
# shape a survey gives: submissions answering a few items, some answers
# missing or NULL, rarely one answered twice or a NULL submission or item;
# some submissions (or all, now and then) give every item the same score.
# Scores are small whole numbers (exact sums: the oracle compares to 1e-9);
# odd rows also have fractions, huge and non-finite scores and, rarely, a
# confidence level other than the group's.
sub cronbach_rows {
    my ($n, $pv, $odd) = @_;
    my @items = (pick('docs', 'q1'), 'speed', 'support', "\xc3\xa9", '', 'q"\\', 'q7', 'q8')[0 .. pick(0, 1, 1, 2, 2, 3, 5, 6, 7)];
    my $nsub = pick(1, 2, 3, 4, 6, 8, 12, 20);
    my $ngroups = pick(1, 1, 2, 3);
    my $all_flat = chance(0.15);
    my @rows;
    for my $k (1 .. $nsub) {
        my $sub = chance(0.9) ? "s$k" : pick($k == 1 ? '' : " s$k", "\xc3\xa9$k", 'x' x 100 . $k);
        my $base = ri(5);
        my $flat = $all_flat || chance(0.1);
        my $g = ri($ngroups);
        for my $it (@items) {
            next if chance(0.06);
            for my $dup (0 .. (chance(0.02) ? 1 : 0)) {
                my $score;
                if (chance(0.05)) { $score = 'NULL'; }
                elsif ($odd && chance(0.1)) { $score = pick(@{$PRIM{'double precision'}}); }
                else { $score = 1 + ($base + ($flat ? 0 : ri(2))) % 5; }
                my @v = (chance(0.02) ? 'NULL::text' : sq($sub), chance(0.02) ? 'NULL::text' : sq($it), lit('double precision', $score));
                push @v, ((!$odd || chance(0.97)) ? $pv->[3] : param_value('double precision', 'confidence')) if $n > 3;
                push @rows, [(chance(0.9) ? $g : ri($ngroups)), @v];
            }
        }
    }
    # in random order
    for (my $i = $#rows; $i > 0; $i--) { my $j = ri($i + 1); @rows[$i, $j] = @rows[$j, $i]; }
    return map { '(' . join(', ', $_ + 1, @{$rows[$_]}) . ')' } 0 .. $#rows;
}

# Aggregates checked against an independent computation in plain SQL, over
# v(o, g, c1, ...) grouped by g: SQL giving rows (g, ok, detail, digest).
my %AGG_ORACLE = (
    'likert_summary(integer,integer,integer)' => sub {
        my ($lo, $hi) = @$AGG_SCALE;
        return ("SELECT g, a IS NOT DISTINCT FROM b, format('g=%s: %s, counted %s', g, a, b), a FROM "
              . "(SELECT g, likert_summary(c1, c2, c3)::text AS a FROM v GROUP BY g) x JOIN "
              . "(SELECT g, CASE WHEN sum(n) > 0 THEN format('low=%s high=%s counts={%s}', $lo, $hi, string_agg(n::text, ',' ORDER BY p)) END AS b "
              . "FROM (SELECT v.g, p, count(*) FILTER (WHERE v.c1 = p) AS n FROM v CROSS JOIN generate_series($lo, $hi) p GROUP BY v.g, p) s GROUP BY g) y USING (g)",
                'likert_summary(score, low, high) differs from the count of each point');
    },
    'rollup(likert_summary)' => sub {
        return ("SELECT g, a IS NOT DISTINCT FROM b, format('g=%s: %s, summed %s', g, a, b), a FROM "
              . "(SELECT g, rollup(c1)::text AS a, fuzz.lk_sum(array_agg(c1::text ORDER BY o)) AS b FROM v GROUP BY g) x",
                'rollup(likert_summary) differs from the sum of the counts');
    },
    'cronbach_alpha(text,text,double precision)' => sub { cronbach_oracle('cronbach_alpha(c1, c2, c3)', 'a.r', '') },
    'cronbach_alpha_ci(text,text,double precision,double precision)' => sub {
        cronbach_oracle('cronbach_alpha_ci(c1, c2, c3, c4)', '(a.r).alpha',
                        "AND (a.r).respondents = coalesce(o.n, 0) AND (a.r).items = coalesce(o.k, 0) "
                      . "AND ((a.r).low IS NULL OR ((a.r).low <= (a.r).high AND (a.r).high <= 1))");
    },
);

# alpha = k / (k - 1) (1 - sum of the item variances / variance of the
# totals), over the submissions that answer every item named in the group
# (call: the aggregate, r in a; aa: alpha in r; more: further conditions).
sub cronbach_oracle {
    my ($call, $aa, $more) = @_;
    (my $A = $call) =~ s/\(.*//;
    return ("WITH a AS (SELECT g, $call AS r FROM v GROUP BY g), "
          . "ans AS (SELECT g, c1, c2, c3 FROM v WHERE c1 IS NOT NULL AND c2 IS NOT NULL), "
          . "k AS (SELECT g, count(DISTINCT c2) AS k FROM ans GROUP BY g), "
          . "comp AS (SELECT ans.g, ans.c1 FROM ans JOIN k USING (g) WHERE c3 IS NOT NULL GROUP BY ans.g, ans.c1, k.k HAVING count(*) = k.k), "
          . "iv AS (SELECT g, sum(vs) AS s FROM (SELECT ans.g, ans.c2, var_samp(ans.c3) AS vs FROM ans JOIN comp USING (g, c1) WHERE ans.c3 IS NOT NULL GROUP BY ans.g, ans.c2) x GROUP BY g), "
          . "tot AS (SELECT g, count(*) AS n, var_samp(t) AS tv FROM (SELECT ans.g, ans.c1, sum(ans.c3) AS t FROM ans JOIN comp USING (g, c1) GROUP BY ans.g, ans.c1) y GROUP BY g), "
          . "o AS (SELECT k.g, k.k, coalesce(tot.n, 0) AS n, CASE WHEN k.k >= 2 AND tot.n >= 2 AND tot.tv > 0 THEN k.k::float8 / (k.k - 1) * (1 - iv.s / tot.tv) END AS alpha "
          . "FROM k LEFT JOIN tot USING (g) LEFT JOIN iv USING (g)) "
          . "SELECT a.g, (($aa IS NULL AND o.alpha IS NULL) OR abs($aa - o.alpha) <= 1e-9 * greatest(1, abs(o.alpha))) AND ($aa IS NULL OR $aa <= 1) $more, "
          . "format('g=%s: %s, computed alpha %s of %s respondents, %s items', a.g, a.r, o.alpha, o.n, o.k), a.r::text FROM a LEFT JOIN o USING (g)",
            "$A differs from alpha computed in SQL");
}

sub agg_input {
    my ($f) = @_;
    my @types = split /;/, $f->{argtypes}, -1;
    my @names = split /;/, $f->{argnames}, -1;
    my $n = @types;
    my @isparam = map { my $nm = $names[$_] // ''; ($_ > 0 && grep { $_ eq $nm } @PARAM_NAMES) ? 1 : 0 } 0 .. $n - 1;
    my @cols = map { "c$_" } 1 .. $n;
    my $args = join(', ', @cols);
    my $form = rand();
    (my $sig = $f->{signature}) =~ s/\Q$EXT\E\.//g;
    my $oracle = $AGG_ORACLE{$sig} && $form >= 0.12 && $form < 0.3;
    $AGG_SCALE = undef;
    $AGG_SCALE_EXACT = $oracle;
    if (grep { $_ eq 'low' } @names) {
        # one scale for all rows (the parallel table's scores are 0..10)
        $AGG_SCALE = ($form < 0.12 && chance(0.7)) ? [0, 10] : ($oracle || chance(0.85)) ? pick(@LK_SCALES) : pick(@LK_BAD_SCALES);
    }

    if ($form < 0.12) {
        # parallel plans against serial ones, over fuzz.prows
        my @a;
        for my $i (0 .. $n - 1) {
            my $col = prows_col($types[$i], $names[$i] // '');
            push @a, ($isparam[$i] || !defined $col) ? param_value($types[$i], $names[$i] // '') : $col;
        }
        my $filter = pick('NOT bad', 'NOT bad AND id % ' . rint(2, 7) . ' = ' . ri(2), 'id % ' . rint(5, 50) . ' = 0', 'g = ' . ri(4),
            'NOT bad AND id < ' . ri(3000), 'false', 'NOT bad AND g <> 2');
        my $agg = "$f->{name}(" . join(', ', @a) . ')';
        my $q = chance(0.5) ? "SELECT g, $agg AS r FROM fuzz.prows WHERE $filter GROUP BY g"
              : chance(0.5) ? "SELECT $agg AS r FROM fuzz.prows WHERE $filter"
              : "SELECT g, $agg FILTER (WHERE g <> 1) AS r FROM fuzz.prows WHERE $filter GROUP BY GROUPING SETS ((g), ())";
        my $par = 'parallel_setup_cost=0,parallel_tuple_cost=0,min_parallel_table_scan_size=0,max_parallel_workers_per_gather=2'
            . (chance(0.3) ? ',parallel_leader_participation=off' : '') . (chance(0.3) ? ',enable_hashagg=off' : '');
        return ('SELECT fuzz.same(' . sq($q) . ", 'max_parallel_workers_per_gather=0', " . sq($par) . ')', undef);
    }

    # serial forms over a VALUES list v(o, g, c1, ...)
    my $nrows = pick(1, 1, 2, 3, 4, 5, 6, 8, 12, 30);
    my @pv = map { $isparam[$_] ? param_value($types[$_], $names[$_] // '') : undef } 0 .. $n - 1;
    my %fam;
    for my $i (0 .. $n - 1) {
        next unless $pool{$types[$i]};
        my @f = grep { /^\Q$types[$i]\E/ } sort keys %family;
        $fam{$i} = $family{pick(@f)} if @f;
    }
    my @rows;
    if (($names[0] // '') eq 'submission') {
        @rows = cronbach_rows($n, \@pv, !$oracle);
        @rows = ('(1, 0, NULL::text, NULL::text, NULL::float8' . ($n > 3 ? ", $pv[3])" : ')')) unless @rows;
    } else {
        for my $o (1 .. $nrows) {
            my %st;
            my @v = ($o, ri(3));
            for my $i (0 .. $n - 1) {
                # (the oracle's rows all give the same parameters)
                push @v, ($isparam[$i] && ($oracle || chance(0.97))) ? $pv[$i] : row_value($types[$i], $names[$i] // '', \%st, $fam{$i});
            }
            push @rows, '(' . join(', ', @v) . ')';
        }
    }
    my $values = '(VALUES ' . join(', ', @rows) . ') v(o, g, ' . join(', ', @cols) . ')';
    my $A = $f->{name};
    if ($oracle) {
        my ($q, $what) = $AGG_ORACLE{$sig}->();
        return ("WITH v AS MATERIALIZED (SELECT * FROM $values) SELECT fuzz.check(bool_and(coalesce(ok, false)), " . sq($what)
              . ", string_agg(detail, '; ') FILTER (WHERE ok IS NOT TRUE)), md5(string_agg(digest, '|' ORDER BY g)) FROM ($q) z(g, ok, detail, digest)", undef);
    }
    if ($form < 0.35) {
        my $where = chance(0.1) ? ' WHERE false' : chance(0.2) ? ' WHERE o > ' . ri($nrows + 1) : '';
        my $ord = chance(0.2) ? ' ORDER BY o DESC' : '';
        return ("SELECT md5(string_agg(r::text, '|')) FROM (SELECT $A($args$ord) AS r FROM $values$where) s", undef);
    }
    if ($form < 0.55) {
        # grouped, with groups left empty by FILTER; hash and sort aggregation compared
        my $gs = chance(0.3) ? 'GROUPING SETS ((g), ())' : 'g';
        my $q = "SELECT g, $A($args) FILTER (WHERE o % " . rint(2, 4) . " <> 0 AND g <> " . ri(3) . ") AS r FROM $values GROUP BY $gs";
        return ('SELECT fuzz.same(' . sq($q) . ", 'enable_hashagg=off', 'enable_sort=off')", undef);
    }
    # window frames against the plain aggregate over the same rows
    # (with PARTITION BY, frame offsets count the rows of the partition: pn)
    my $part = chance(0.3);
    my $p = $part ? 'pn' : 'o';
    my ($frame, $cond);
    my $r = ri(4);
    if ($r == 0) { ($frame, $cond) = ('ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', "v2.$p <= v1.$p"); }
    elsif ($r == 1) { my $k = ri(4); ($frame, $cond) = ("ROWS BETWEEN $k PRECEDING AND CURRENT ROW", "v2.$p BETWEEN v1.$p - $k AND v1.$p"); }
    elsif ($r == 2) { ($frame, $cond) = ('ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING', "v2.$p >= v1.$p"); }
    else { my $k = ri(3); ($frame, $cond) = ("ROWS BETWEEN 1 PRECEDING AND $k FOLLOWING", "v2.$p BETWEEN v1.$p - 1 AND v1.$p + $k"); }
    $cond .= ' AND v2.g = v1.g' if $part;
    my $args2 = join(', ', map { "v2.$_" } @cols);
    my $over = ($part ? 'PARTITION BY g ' : '') . "ORDER BY o $frame";
    my $q = "WITH v AS MATERIALIZED (SELECT *, row_number() OVER (PARTITION BY g ORDER BY o) AS pn FROM $values) "
          . "SELECT fuzz.check(bool_and(w IS NOT DISTINCT FROM s), 'window frame ($over) differs from the aggregate over the same rows', string_agg(format('o=%s window: %s aggregate: %s', o, w::text, s::text), '; ') FILTER (WHERE w IS DISTINCT FROM s)), md5(string_agg(w::text, '|')) "
          . "FROM (SELECT v1.o, $A(" . join(', ', map { "v1.$_" } @cols) . ") OVER ($over) AS w, "
          . "(SELECT $A($args2) FROM (SELECT * FROM v v2 WHERE $cond ORDER BY v2.o) v2) AS s FROM v v1) x";
    return ($q, undef);
}

# ---------------------------------------------------------------------------
# Window functions
# ---------------------------------------------------------------------------
# P-values for bh_adjust: uniform and skewed towards 0, ties, NULLs, the ends
# of [0, 1], the smallest doubles, and now and then anything (NaN, -1, ...).
sub pvalue {
    my ($ties) = @_;
    my $r = rand();
    return 'NULL' if $r < 0.1;
    return pick(@$ties) if $r < 0.2;
    return pick('0', '1', '-0', '1e-300', '4.9e-324', '0.05', '0.999999999999', '0.5') if $r < 0.27;
    return pick(@{$PRIM{'double precision'}}) if $r < 0.29;
    return sprintf('%.6g', rand() ** pick(1, 1, 3, 10, 50));
}

# The window clauses a window function must not care about (bh_adjust reads
# its whole partition whatever the ORDER BY and frame).
my @WINDOWS = ('PARTITION BY g', 'PARTITION BY g ORDER BY o', 'PARTITION BY g ORDER BY o DESC',
    'PARTITION BY g ORDER BY c1', 'PARTITION BY g ORDER BY o ROWS BETWEEN 1 PRECEDING AND CURRENT ROW',
    'PARTITION BY g ORDER BY o DESC ROWS BETWEEN CURRENT ROW AND CURRENT ROW EXCLUDE CURRENT ROW',
    'PARTITION BY g ORDER BY c1 RANGE BETWEEN CURRENT ROW AND CURRENT ROW',
    'PARTITION BY g ORDER BY o GROUPS BETWEEN 1 FOLLOWING AND 2 FOLLOWING EXCLUDE TIES',
    'PARTITION BY g ORDER BY o ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING');

# A window function over v(o, g, c1, ...): the result in two window clauses
# compared, and bh_adjust against the Benjamini-Hochberg q-values computed in
# SQL (q(i) = min over j >= i of m p(j) / j, capped at 1, over the m non-NULL
# p-values of the partition sorted; ties get the same q whatever their order).
sub win_input {
    my ($f) = @_;
    my @types = split /;/, $f->{argtypes}, -1;
    my @names = split /;/, $f->{argnames}, -1;
    my @cols = map { "c$_" } 1 .. @types;
    my $nrows = pick(1, 2, 3, 5, 8, 12, 30, 100, 300);
    my $ngroups = pick(1, 1, 2, 3);
    my @ties = map { sprintf('%.4f', rand()) } 1 .. 3;
    my @rows;
    for my $o (1 .. $nrows) {
        my @v = map { $types[$_] eq 'double precision' && ($names[$_] // '') eq 'p' ? lit('double precision', pvalue(\@ties))
                                                                                     : row_value($types[$_], $names[$_] // '', {}, undef) } 0 .. $#types;
        push @rows, '(' . join(', ', $o, ri($ngroups), @v) . ')';
    }
    my $values = '(VALUES ' . join(', ', @rows) . ') v(o, g, ' . join(', ', @cols) . ')';
    my ($w1, $w2) = (pick(@WINDOWS), pick(@WINDOWS));
    if ($ngroups == 1 && chance(0.5)) { s/^PARTITION BY g ?// for $w1, $w2; }
    my $call = "$f->{name}(" . join(', ', @cols) . ')';
    (my $bare = $f->{name}) =~ s/^.*\.//;
    my ($oracle, $checks) = ('', '');
    if ($bare eq 'bh_adjust') {
        $oracle = ", s AS (SELECT o, CASE WHEN c1 IS NOT NULL THEN least(1, min(c1 * (m::float8 / i)) OVER (PARTITION BY g, c1 IS NULL ORDER BY c1 DESC, o DESC ROWS UNBOUNDED PRECEDING)) END AS qs "
                . "FROM (SELECT *, row_number() OVER (PARTITION BY g, c1 IS NULL ORDER BY c1, o) AS i, count(c1) OVER (PARTITION BY g) AS m FROM v) x)";
        $checks = "fuzz.check(bool_and(q1 IS NOT DISTINCT FROM qs), " . sq("bh_adjust(p) OVER ($w1) differs from the Benjamini-Hochberg q-values computed in SQL")
                . ", string_agg(format('o=%s p=%s: %s, in SQL %s', o, c1, q1, qs), '; ') FILTER (WHERE q1 IS DISTINCT FROM qs)), "
                . "fuzz.check(bool_and((q1 IS NULL) = (c1 IS NULL) AND (q1 IS NULL OR (q1 >= c1 AND q1 <= 1))), 'property of bh_adjust: NULL just for a NULL p, else p <= q <= 1'), ";
    }
    my $q = "WITH v AS MATERIALIZED (SELECT * FROM $values), b AS (SELECT *, $call OVER ($w1) AS q1, $call OVER ($w2) AS q2 FROM v)$oracle "
          . "SELECT $checks"
          . "fuzz.check(bool_and(q1 IS NOT DISTINCT FROM q2), " . sq("$bare differs between OVER ($w1) and OVER ($w2)")
          . ", string_agg(format('o=%s: %s / %s', o, q1, q2), '; ') FILTER (WHERE q1 IS DISTINCT FROM q2)), "
          . "md5(string_agg(q1::text, '|' ORDER BY o)) FROM b" . ($oracle ? ' JOIN s USING (o)' : '');
    return ($q, undef);
}

my @funcs;
for my $row (read_tsv("$dir/functions.tsv")) {
    my %f;
    @f{qw(signature name kind retset nargs ndefaults argtypes argnames rettype)} = @$row;
    next if $f{argtypes} =~ /(^|;)(internal|cstring|anyelement|anyarray)(;|$)/;    # not callable from SQL
    next if $f{name} eq "$EXT.ingest";                                     # its own target (io)
    next if $f{kind} eq 'p';
    push @funcs, \%f;
}
# the operators, called with operator syntax
if (-e "$dir/operators.tsv") {
    for my $row (read_tsv("$dir/operators.tsv")) {
        my %f = (kind => 'o', op => 1, retset => 'f', ndefaults => 0, argnames => ';');
        @f{qw(signature name lefttype righttype rettype)} = @$row;
        $f{argtypes} = "$f{lefttype};$f{righttype}";
        push @funcs, \%f;
    }
}
@funcs = sort { $a->{signature} cmp $b->{signature} } @funcs;
die "gen.pl: no functions\n" unless @funcs;
my %PREFIX = (a => 'agg:', w => 'win:', o => 'op:');
my @n = split_count($count, map { $_->{kind} eq 'a' || $_->{kind} eq 'w' ? 3 : 1 } @funcs);
for my $i (0 .. $#funcs) {
    my $f = $funcs[$i];
    (my $sig = $f->{signature}) =~ s/\Q$EXT\E\.//g;
    my $target = ($PREFIX{$f->{kind}} // 'func:') . $sig;
    for (1 .. $n[$i]) {
        my ($sql, $repro) = $f->{kind} eq 'a' ? agg_input($f) : $f->{kind} eq 'w' ? win_input($f) : call_input($f);
        emit($target, 'sql', undef, $sql, undef, $repro);
    }
}
die "gen.pl: emitted $emitted, not $count\n" unless $emitted == $count;
