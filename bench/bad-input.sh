#!/usr/bin/env bash
# Bad input under load: time, peak memory and line accounting of smtpcode on inputs real logs
# can hold. For each input, `--all --json` must give exactly one record per line (the expected
# count is computed independently, with perl) and `--summary` must count the same lines.
#
#   bench/bad-input.sh [SIZE_MB]     (default 100)
set -euo pipefail
size=${1:-100}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin smtpcode
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
smtpcode=target/release/smtpcode
bytes=$((size * 1024 * 1024))

# The inputs (`yes | head` ends yes with SIGPIPE: no pipefail here).
set +o pipefail
{ printf '550 5.1.1 <bob@example.com> '; head -c "$bytes" /dev/zero | tr '\0' 'y'; } > "$work/one-huge-line"
# At most 10 M of them: with --all each empty line still gives a whole JSON record.
head -c "$((bytes < 10000000 ? bytes : 10000000))" /dev/zero | tr '\0' '\n' > "$work/only-newlines"
yes '550 5.1.1 <bob@example.com>: User unknown' | head -c "$bytes" | tr '\n' '\r' > "$work/cr-endings"
head -c "$bytes" /dev/urandom > "$work/binary-garbage"
yes 'q 1' | head -n 10000000 > "$work/ten-million-lines"
{ printf '550 5.1.1 \x1b]0;title\x07 \xff\xfe\0 User unknown\r\n%.0s' $(seq 1 1000); } > "$work/escapes-nuls-utf8"
# qmail-send deliveries the reader keeps until their results, each with a 60 KB address.
perl -e 'print "\@4000000069231d2b0a1b2c3d starting delivery $_: msg 1 to remote ", "a" x 60000, "\@example.com\n" for 1 .. $ARGV[0]' \
  "$((bytes / 60040))" > "$work/qmail-huge-starts"
# Exchange protocol log sessions that pipeline commands no reply answers, with long addresses.
perl -e 'for $n (1 .. $ARGV[0]) { printf "2026-11-23T10:00:01.801Z,Internet,S%d,7,10.0.0.5:1,198.51.100.7:25,>,RCPT TO:<%s\@example.com>,\n", $n % 256, "a" x 240 }' \
  "$((bytes / 320))" > "$work/exchange-pipelined-flood"
# A message tracking log's header, then records whose status is 60 KB of quoted quotes.
{ echo '#Fields: date-time,event-id,recipient-address,recipient-status'
  perl -e 'print "2026-11-23T10:00:01.234Z,FAIL,bob\@example.com,\"550 5.1.1 ", "\"\"" x 30000, "\"\n" for 1 .. $ARGV[0]' "$((bytes / 60050))"
} > "$work/tracking-quoted-status"
# Sending services' events nested 30,000 arrays deep, past what a JSON parser should recurse.
perl -e 'print "{\"event\":\"bounce\",\"email\":\"bob\@example.com\",\"x\":", "[" x 30000, "]" x 30000, "}\n" for 1 .. $ARGV[0]' \
  "$((bytes / 60060))" > "$work/json-events-deep"
# A message tracking log as Windows PowerShell saves it: UTF-16LE after its mark, CRLF endings.
{ printf '\xff\xfe'
  perl -CS -e 'print "#Fields: date-time,event-id,recipient-address,recipient-status\r\n"; print "2026-11-23T10:00:01.234Z,FAIL,j\x{fc}rgen$_\@example.de,550 5.1.1 Benutzer unbekannt \x{1F4EB}\r\n" for 1 .. $ARGV[0]' \
    "$((bytes / 200))" | iconv -f UTF-8 -t UTF-16LE
} > "$work/utf16-tracking-log"
# A rotated log kept compressed: gzip, read decompressed (the size is the decompressed one).
yes 'Nov 23 10:00:01 mx postfix/smtp[1234]: 3F2A41C0D2: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))' \
  | head -c "$bytes" | gzip -1 > "$work/gzip-log"
# A quoted-printable part whose every line ends in a soft break: one line joined from all of
# them, capped, and a record for each with --all.
{ echo 'Content-Transfer-Encoding: quoted-printable'
  yes '550 5.1.1 <bob@example.com>: User unknown, a line broken by a soft break=' | head -c "$bytes"
} > "$work/soft-breaks-only"
set -o pipefail

# Lines as the reader counts them: ended by \n, \r\n or a lone \r, plus a last unended line.
# UTF-16 after its mark is counted once decoded, gzip once decompressed.
expected_lines() {
  if [ "$(head -c 3 "$1" | od -An -tx1 | tr -d ' ')" = 1f8b08 ]; then gzip -dc "$1"; else cat "$1"; fi |
  perl -MEncode -0777 -ne '$_ = decode("UTF-16LE", substr($_, 2)) if /\A\xFF\xFE/;
    $n = () = /\r\n|\r|\n/g; $n++ if length && !/[\r\n]\z/; print $n'
}

peak_and_seconds() {
  # Prints "peak_KiB seconds" of "$@" reading $file, output discarded.
  /usr/bin/time -f '%M %e' "$@" < "$file" 2> "$work/time" > /dev/null || true
  tail -1 "$work/time"
}

echo "machine: $(nproc) cores, $(uname -m), $(rustc --version)"
echo "date: $(date -u +%Y-%m-%d)"
printf '%-20s %8s %11s %11s %8s %10s %9s %s\n' input MB lines records status "peak KiB" seconds check
fail=0
for name in one-huge-line only-newlines cr-endings binary-garbage ten-million-lines escapes-nuls-utf8 qmail-huge-starts exchange-pipelined-flood tracking-quoted-status json-events-deep utf16-tracking-log gzip-log soft-breaks-only; do
  file="$work/$name"
  expected=$(expected_lines "$file")
  records=$("$smtpcode" --all --json < "$file" 2> "$work/err" | wc -l; exit "${PIPESTATUS[0]}") && status=0 || status=$?
  read -r peak seconds < <(peak_and_seconds "$smtpcode" --all --json)
  summary_lines=$({ "$smtpcode" --summary --json < "$file" || true; } | sed -n 's/^{"lines":\([0-9]*\),.*/\1/p')
  check=ok
  if [ "$records" != "$expected" ] || [ "$summary_lines" != "$expected" ] || [ "$status" -gt 1 ] || [ -s "$work/err" ]; then
    check="MISMATCH (summary $summary_lines, stderr: $(head -c 200 "$work/err"))"
    fail=1
  fi
  printf '%-20s %8d %11d %11d %8d %10s %9s %s\n' "$name" "$(( $(stat -c %s "$file") / 1000000 ))" \
    "$expected" "$records" "$status" "$peak" "$seconds" "$check"
done
exit $fail
