#!/usr/bin/env bash
# newsdigest against Zola and Hugo, and newsdigest's rebuilds against its full build, in one run,
# on the same generated articles (the peer benchmark kit's corpus).
#
#   bench/compare.sh [--sizes 10000,100000:1] [--runs 3] [--seed 1] [--kit DIR] [--million]
#                    [--dir DIR] [--results FILE] [--keep] [--rss-limit-gib 20] [--min-free-gib 8]
#
# Environment variables SIZES, RUNS, SEED, BENCH_KIT, BENCH_DIR and RESULTS set the same things
# (flags win). --kit is the peer benchmark kit (zola.gz, prepare.sh, gen_corpus.py, sites/),
# by default ../shared/bench next to the repository. --million adds one full build of 1,000,000
# dumps. --keep leaves each size's folders in place (by default they are deleted once measured).
# A size written N:RUNS is run RUNS times instead of --runs.
#
# What it does:
#  1. Checks the kit, unpacks its Zola into BENCH_DIR, installs Hugo with apt when `hugo` is
#     missing (sudo when not root), builds newsdigest and the I/O floor measurer
#     (examples/io_floor.rs) with --release.
#  2. For each size N, into BENCH_DIR/N (default target/bench/N): the kit's prepare.sh writes the
#     same N articles (seed --seed) as dumps (dump-N), Hugo pages (hugo-N) and Zola pages (zola-N)
#     with the kit's minimal peer sites. gen_corpus.py also writes a new day of 300 dumps, dated
#     the day after the corpus's last day, with another seed (newday/). The incremental site nd/
#     gets its own copy of the dumps and one build with the cache (not timed).
#  3. RUNS times, interleaved so that noise from other work on the machine hits all of them:
#       nd_full         newsdigest build --no-cache of dump-N into an output folder not there yet
#       zola_full       zola build --force into an output folder not there yet
#       hugo_full       hugo --quiet -s hugo-N -d OUT, OUT not there yet, no resources/
#       nd_noop         newsdigest build (cache on) of nd/, nothing changed since its last build
#       nd_one_changed  the same after the newest day's top story got a new sentence in its first
#                       paragraph (a different sentence each run)
#       nd_new_day      the same after the 300 dumps of newday/ were copied into nd/content/
#       nd_day_removed  the same after that day was removed again (so the next run starts from
#                       the N-dump site; reported in "Every run" only)
#       io_floor        read all of dump-N, write nd_full's output shape anew
#     Every run reads its content from a warm page cache and nothing calls fsync. Wall time,
#     user+sys CPU and peak RSS come from /usr/bin/time. Each process is watched: it is killed
#     (and the run reported as failed, with the reason) when its RSS passes --rss-limit-gib,
#     when the machine's available memory falls under 1 GiB, or when the disk under BENCH_DIR
#     has less than --min-free-gib left.
#  4. With --million: the kit writes 1,000,000 dumps and newsdigest builds them once with
#     --no-cache, watched the same way (time and peak RSS, or where and why it stopped).
#  5. Writes medians, paired ratios, output sizes, the machine and the load to RESULTS (default
#     bench/RESULTS.md) and prints the tables.
#
# Disk, per article: about 7 KB of dumps, 7 + 7 KB of Hugo and Zola pages, 7 KB for nd/'s copy,
# plus the outputs (newsdigest's about 45 KB, its incremental site's as much again, the floor's
# copy, and some 13 KB for each peer): about 150 KB, so 10,000 articles need 1.5 GB and 100,000
# some 15 GB free under BENCH_DIR; 1,000,000 dumps need about 7 GB plus their output (45 GB if
# it grows as at 10,000). Memory: Hugo needed 15 GiB for 100,000 articles.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${SIZES:-10000,100000:1}
runs=${RUNS:-3}
seed=${SEED:-1}
kit=${BENCH_KIT:-$repo/../shared/bench}
bench_dir=${BENCH_DIR:-$repo/target/bench}
results=${RESULTS:-$repo/bench/RESULTS.md}
million=false
keep=false
rss_limit_gib=20
min_free_gib=8
new_day_count=300
million_count=1000000

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
  echo "compare.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2?--sizes needs a list like 10000,100000:1}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --kit) kit=${2:?--kit needs a folder}; shift 2 ;;
    --dir) bench_dir=${2:?--dir needs a folder}; shift 2 ;;
    --results) results=${2:?--results needs a file}; shift 2 ;;
    --million) million=true; shift ;;
    --keep) keep=true; shift ;;
    --rss-limit-gib) rss_limit_gib=${2:?--rss-limit-gib needs a number}; shift 2 ;;
    --min-free-gib) min_free_gib=${2:?--min-free-gib needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
is_count "$runs" || { echo "compare.sh: --runs must be a positive number, not $runs" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "compare.sh: --seed must be a number, not $seed" >&2; exit 2; }
is_count "$rss_limit_gib" || { echo "compare.sh: --rss-limit-gib must be a positive number" >&2; exit 2; }
[[ $min_free_gib =~ ^[0-9]+$ ]] || { echo "compare.sh: --min-free-gib must be a number" >&2; exit 2; }
# A size may carry its own number of runs, N:RUNS (10000,100000:1), for sizes too slow for --runs.
declare -A runs_of
size_list=()
IFS=, read -r -a size_items <<<"$sizes"
if [ ${#size_items[@]} -eq 0 ] && ! $million; then
  echo "compare.sh: --sizes is empty (it may be, --sizes '', only with --million)" >&2
  exit 2
fi
for item in "${size_items[@]}"; do
  n=${item%%:*}
  r=$runs
  [ "$item" = "$n" ] || r=${item#*:}
  if ! is_count "$n" || ! is_count "$r"; then
    echo "compare.sh: bad size '$item' in --sizes $sizes (N or N:RUNS)" >&2
    exit 2
  fi
  size_list+=("$n")
  runs_of[$n]=$r
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- tools -----------------------------------------------------------------------------------
# The kit lives outside the repository (it holds a Zola binary), so its place is an argument.
check_kit() {
  local f
  [ -d "$kit" ] || die "no peer benchmark kit at $kit: pass --kit DIR (or BENCH_KIT=DIR), the folder with zola.gz, prepare.sh, gen_corpus.py and sites/"
  for f in zola.gz prepare.sh gen_corpus.py sites/hugo sites/zola; do
    [ -e "$kit/$f" ] || die "the kit at $kit has no $f"
  done
  kit=$(cd "$kit" && pwd)
}

install_tools() {
  [ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
  command -v python3 >/dev/null 2>&1 || die "needs python3 for the kit's gen_corpus.py"
  if ! command -v hugo >/dev/null 2>&1; then
    log "installing hugo with apt"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y hugo
  fi
  zola_bin=$bench_dir/zola
  if [ ! -x "$zola_bin" ] || [ "$kit/zola.gz" -nt "$zola_bin" ]; then
    log "unpacking Zola into $bench_dir"
    gunzip -c "$kit/zola.gz" >"$zola_bin.tmp"
    chmod +x "$zola_bin.tmp"
    mv "$zola_bin.tmp" "$zola_bin"
  fi
  log "building newsdigest and the I/O floor measurer (release)"
  (cd "$repo" && cargo build --release --quiet --bin newsdigest --example io_floor)
  local target_dir=${CARGO_TARGET_DIR:-$repo/target}
  nd_bin=$target_dir/release/newsdigest
  floor_bin=$target_dir/release/examples/io_floor
  if [ ! -x "$nd_bin" ] || [ ! -x "$floor_bin" ]; then
    die "no binaries in $target_dir/release"
  fi
  # Copies of the binaries, and the commit they were built from, taken now: a run lasts up to
  # an hour, and a build in the repository meanwhile must change neither what is measured
  # nor what the report says was measured.
  cp "$nd_bin" "$bench_dir/newsdigest"
  cp "$floor_bin" "$bench_dir/io_floor"
  nd_bin=$bench_dir/newsdigest
  floor_bin=$bench_dir/io_floor
  nd_commit=$(code_version)
}

# ---- measuring -------------------------------------------------------------------------------
# Why a watched process was stopped, or "ok"; set by watched.
verdict_of_run=ok

# watched TIMEFILE LOG COMMAND...: runs COMMAND under /usr/bin/time, polling its RSS, the
# machine's available memory and the free disk every second, and kills it (by its id) when one
# crosses its limit, so that a build too big for the machine fails alone instead of taking the
# machine down. Sets verdict_of_run to ok or to the reason it stopped.
watched() {
  local tfile=$1 out=$2
  shift 2
  local limit_kib=$((rss_limit_gib * 1048576)) min_free_kib=$((min_free_gib * 1048576))
  /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" >"$out" 2>&1 &
  local tpid=$! child="" reason="" rss avail free started=$SECONDS
  while kill -0 "$tpid" 2>/dev/null; do
    sleep 1
    [ -n "$child" ] || child=$(pgrep -P "$tpid" | head -n 1 || true)
    [ -n "$child" ] || continue
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)
    avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
    free=$(df -Pk "$bench_dir" | awk 'NR == 2 { print $4 }')
    if [ -n "$rss" ] && [ "$rss" -gt "$limit_kib" ]; then
      reason="killed: RSS passed ${rss_limit_gib} GiB"
    elif [ "$avail" -lt 1048576 ]; then
      reason="killed: the machine had under 1 GiB of memory available (RSS $((${rss:-0} / 1024)) MiB)"
    elif [ "$free" -lt "$min_free_kib" ]; then
      reason="killed: under ${min_free_gib} GiB of disk left (RSS $((${rss:-0} / 1024)) MiB)"
    fi
    if [ -n "$reason" ]; then
      reason+=" after $((SECONDS - started)) s"
      kill -KILL "$child" 2>/dev/null || true
      break
    fi
  done
  if wait "$tpid"; then
    verdict_of_run=ok
  elif [ -n "$reason" ]; then
    verdict_of_run=$reason
  else
    verdict_of_run="failed: $(grep -v '^Command \(exited\|terminated\)' "$out" | tail -n 1 | tr '\t|' '  ' | cut -c1-160)"
  fi
}

# measure SIZE RUN CASE COMMAND...: runs COMMAND watched, appends a row to runs.tsv; a failed
# run is recorded with its reason (and no figures) and the benchmark goes on.
measure() {
  local size=$1 run=$2 name=$3
  shift 3
  local dir=$bench_dir/$size
  local tfile=$dir/time.txt out=$dir/$name.log load
  load=$(cut -d' ' -f1 /proc/loadavg)
  watched "$tfile" "$out" "$@"
  local wall=- cpu=- rss=- user sys
  if [ "$verdict_of_run" = ok ]; then
    read -r wall user sys rss < <(tail -n 1 "$tfile")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  else
    log "N=$size run $run: $name $verdict_of_run (log: $out)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$run" "$name" "$wall" "$cpu" "$rss" "$verdict_of_run" "$load" >>"$raw"
}

# Files and bytes below a folder: "FILES BYTES" ("0 0" when it is not there).
tally() {
  if [ -d "$1" ]; then
    printf '%s %s\n' "$(find "$1" -type f | wc -l)" "$(du -sb "$1" | cut -f1)"
  else
    echo "0 0"
  fi
}

# The site.yaml of the newsdigest sites: the peer sites' title and base URL. Everything else is
# newsdigest's default (20 per page and per feed, no precompressed twins, like the peers).
site_yaml() {
  cat <<'YAML'
# Written by bench/compare.sh: the title and base URL of the kit's peer sites.
title: Bench News
base_url: https://news.example.org/
language: en
YAML
}

# prepare N: the kit's corpus for the three tools, the new day, and the primed incremental site.
prepare() {
  local n=$1 dir=$bench_dir/$1
  log "N=$n: the kit writes the corpus (dump, hugo, zola) into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/nd-full" "$dir/nd"
  GEN_FLAGS="--seed $seed --quiet" "$kit/prepare.sh" "$n" "$dir" dump hugo zola
  local last next
  last=$(find "$dir/dump-$n" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | tail -n 1)
  next=$(date -u -d "$last + 1 day" +%F)
  python3 "$kit/gen_corpus.py" --n "$new_day_count" --format dump --days 1 --end-date "$next" \
    --seed "$((seed + 1))" --out "$dir/newday" --quiet
  new_day=$next
  site_yaml >"$dir/nd-full/site.yaml"
  site_yaml >"$dir/nd/site.yaml"
  cp -R "$dir/dump-$n" "$dir/nd/content"
  log "N=$n: first build of the incremental site, with the cache (not timed)"
  "$nd_bin" build --root "$dir/nd" 2>"$dir/prime.log"
  # The edited dump: the newest day's top story, the most common edit on a live digest.
  edited=$dir/nd/content/$last/$(find "$dir/nd/content/$last" -name '000_*.txt' -printf '%f\n' | head -n 1)
  [ -f "$edited" ] || die "no top story (000_*.txt) in $dir/nd/content/$last"
  cp "$edited" "$dir/edited.orig"
}

# check_pages PEER PAGES N: stops the benchmark when a peer built fewer article pages than
# articles (a peer that skips pages silently, for future dates or drafts, makes it void).
check_pages() {
  local name=$1 got=$2 n=$3
  [ "$got" -eq "$n" ] || die "$name built $got article pages of $n; check the kit's sites/"
}

# one_run N RUN: every case once, in the same order each run.
one_run() {
  local n=$1 run=$2 dir=$bench_dir/$1 runs=${runs_of[$1]}
  log "N=$n run $run/$runs: newsdigest full"
  rm -rf "$dir/nd-full/output"
  measure "$n" "$run" nd_full "$nd_bin" build --root "$dir/nd-full" --content "$dir/dump-$n" \
    --output "$dir/nd-full/output" --no-cache --quiet

  log "N=$n run $run/$runs: zola full"
  rm -rf "$dir/out-zola"
  measure "$n" "$run" zola_full "$zola_bin" --root "$dir/zola-$n" build --output-dir "$dir/out-zola" --force
  [ "$verdict_of_run" != ok ] || check_pages Zola "$(find "$dir/out-zola" -mindepth 2 -maxdepth 2 -name index.html -not -path "$dir/out-zola/tags/*" | wc -l)" "$n"

  log "N=$n run $run/$runs: hugo full"
  rm -rf "$dir/out-hugo" "$dir/hugo-$n/resources"
  measure "$n" "$run" hugo_full hugo --quiet -s "$dir/hugo-$n" -d "$dir/out-hugo"
  [ "$verdict_of_run" != ok ] || check_pages Hugo "$(find "$dir/out-hugo/posts" -mindepth 1 -maxdepth 1 -type d | wc -l)" "$n"

  log "N=$n run $run/$runs: newsdigest rebuilds (nothing changed, one dump changed, a new day)"
  measure "$n" "$run" nd_noop "$nd_bin" build --root "$dir/nd" --quiet
  # Its first paragraph is its first line of 80 characters or more.
  sed "0,/.\{80\}/s/.\{80\}.*/& The council confirmed the figures in benchmark run $run./" "$dir/edited.orig" >"$edited"
  measure "$n" "$run" nd_one_changed "$nd_bin" build --root "$dir/nd" --quiet
  cp -R "$dir/newday/$new_day" "$dir/nd/content/$new_day"
  measure "$n" "$run" nd_new_day "$nd_bin" build --root "$dir/nd" --quiet
  rm -rf "${dir:?}/nd/content/$new_day"
  measure "$n" "$run" nd_day_removed "$nd_bin" build --root "$dir/nd" --quiet

  log "N=$n run $run/$runs: I/O floor"
  rm -rf "$dir/floor-scratch"
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ -d "$dir/nd-full/output" ] && "$floor_bin" --content "$dir/dump-$n" --output "$dir/nd-full/output" \
    --scratch "$dir/floor-scratch" >"$dir/floor.txt" 2>&1; then
    local part name
    for part in floor read write; do
      name=io_floor_$part
      [ "$part" = floor ] && name=io_floor
      printf '%s\t%s\t%s\t%s\t-\t-\tok\t%s\n' "$n" "$run" "$name" \
        "$(sed -n "s/^${part}_seconds=//p" "$dir/floor.txt")" "$load" >>"$raw"
    done
  else
    printf '%s\t%s\tio_floor\t-\t-\t-\tfailed: %s\t%s\n' "$n" "$run" "$(tail -n 1 "$dir/floor.txt" 2>/dev/null)" "$load" >>"$raw"
  fi
}

# record_sizes N: what the last runs built, before the folders go.
record_sizes() {
  local n=$1 dir=$bench_dir/$1
  local in_f in_b nd_f nd_b z_f z_b h_f h_b
  read -r in_f in_b < <(tally "$dir/dump-$n")
  read -r nd_f nd_b < <(tally "$dir/nd-full/output")
  read -r z_f z_b < <(tally "$dir/out-zola")
  read -r h_f h_b < <(tally "$dir/out-hugo")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$in_f" "$in_b" "$nd_f" "$nd_b" "$z_f" "$z_b" \
    "$h_f" "$h_b" >"$bench_dir/sizes-$n.tsv"
  head -n 1 "$dir/prime.log" >"$bench_dir/summary-$n.txt"
}

# The 1,000,000-dump full build: one watched run (its folder goes after the report unless --keep).
million_build() {
  local n=$million_count dir=$bench_dir/$million_count
  rm -rf "$dir" "$bench_dir/tail-$n.txt"
  mkdir -p "$dir/nd-full"
  site_yaml >"$dir/nd-full/site.yaml"
  log "N=$n: the kit writes the dumps (takes some minutes)"
  # gen_corpus.py itself (what prepare.sh runs for dumps), so that its RSS is the one watched.
  measure "$n" 1 generate python3 "$kit/gen_corpus.py" --n "$n" --format dump --seed "$seed" \
    --out "$dir/dump-$n" --quiet
  if [ "$verdict_of_run" = ok ]; then
    log "N=$n: newsdigest full build (watched: RSS limit ${rss_limit_gib} GiB, ${min_free_gib} GiB of disk kept free)"
    measure "$n" 1 nd_full "$nd_bin" build --root "$dir/nd-full" --content "$dir/dump-$n" \
      --output "$dir/nd-full/output" --no-cache --timings
    # Its last words: the summary and the stage timings, or how it failed.
    tail -n 25 "$dir/nd_full.log" >"$bench_dir/tail-$n.txt"
  fi
  local in_f in_b nd_f nd_b
  read -r in_f in_b < <(tally "$dir/dump-$n")
  # The whole site folder: a build that stopped may have left its files in the staging folder.
  read -r nd_f nd_b < <(tally "$dir/nd-full")
  printf '%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\n' "$n" "$in_f" "$in_b" "$nd_f" "$nd_b" >"$bench_dir/sizes-$n.tsv"
}

# ---- report ----------------------------------------------------------------------------------
# median SIZE CASE COLUMN: the median over the successful runs of a column of runs.tsv
# (3 = wall, 4 = cpu, 5 = rss); "nan" when none succeeded.
median() {
  awk -F'\t' -v n="$1" -v c="$2" -v col="$(($3 + 1))" 'NR > 1 && $1 == n && $3 == c && $7 == "ok" { print $col }' "$raw" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# paired SIZE CASE_A CASE_B [COLUMN]: the median over runs of A/B within the same run (wall time
# unless COLUMN says otherwise).
paired() {
  awk -F'\t' -v n="$1" -v a="$2" -v b="$3" -v col="$((${4:-3} + 1))" '
    NR > 1 && $1 == n && $3 == a && $7 == "ok" { x[$2] = $col }
    NR > 1 && $1 == n && $3 == b && $7 == "ok" { y[$2] = $col }
    END { for (r in x) if ((r in y) && y[r] > 0) print x[r] / y[r] }' "$raw" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# range SIZE CASE_A CASE_B: the lowest and highest per-run ratio, "LOW–HIGH".
range() {
  awk -F'\t' -v n="$1" -v a="$2" -v b="$3" '
    NR > 1 && $1 == n && $3 == a && $7 == "ok" { x[$2] = $4 }
    NR > 1 && $1 == n && $3 == b && $7 == "ok" { y[$2] = $4 }
    END { for (r in x) if ((r in y) && y[r] > 0) print x[r] / y[r] }' "$raw" |
    sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR == 0) print "–"; else printf "%.2f–%.2f\n", lo, hi }'
}

# failures SIZE CASE: the reasons the runs of a case failed, "" when none did.
failures() {
  awk -F'\t' -v n="$1" -v c="$2" 'NR > 1 && $1 == n && $3 == c && $7 != "ok" { print "run " $2 ": " $7 }' "$raw" | paste -sd ';' -
}

fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x == "nan") print "–"; else printf "%.*f\n", d, x }'; }
pct() { awk -v x="$1" 'BEGIN { if (x == "nan") print "–"; else printf "%.1f%%\n", x * 100 }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "nan") print "–"; else printf "%.0f MiB\n", k / 1024 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f\n", b / 1e6 }'; }

# verdict VALUE LIMIT: "met" when VALUE <= LIMIT.
verdict() {
  awk -v v="$1" -v l="$2" 'BEGIN { if (v == "nan") print "not measured"; else if (v + 0 <= l + 0) print "met"; else print "**not met**" }'
}

has_size() {
  local s
  for s in "${done_sizes[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

machine_table() {
  local cpu_model mem_gib os_name
  cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
  os_name=$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | tr -d '"')
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $cpu_model |"
  echo "| cores | $(nproc) |"
  echo "| RAM | $mem_gib GiB |"
  echo "| kernel | $(uname -r) |"
  echo "| OS | $os_name |"
  # tmpfs takes the disk's file-creation costs (which vary with what was deleted before) out.
  echo "| file system of the corpora and outputs | $(stat -f -c %T "$bench_dir" 2>/dev/null || echo unknown) |"
  echo "| Zola | $("$zola_bin" --version | head -n 1) |"
  echo "| Hugo | $(hugo version | head -n 1) |"
  echo "| rustc | $(rustc --version) |"
  echo "| load average (1, 5, 15 min) | $load_start at the start, $load_end at the end |"
  echo "| 1-minute load when a measured process started | $(awk -F'\t' 'NR > 1 && $8 != "" { v = $8 + 0; if (n++ == 0 || v < lo) lo = v; if (v > hi) hi = v; s += v } END { if (n) printf "%.2f to %.2f, mean %.2f (%d cores: above that, processes queue for a CPU)", lo, hi, s / n, '"$(nproc)"'; else print "–" }' "$raw") |"
}

full_table() {
  local n
  echo "| articles | newsdigest wall | CPU | peak RSS | Zola wall | CPU | peak RSS | Hugo wall | CPU | peak RSS | **newsdigest / Zola** (wall; runs) | **newsdigest / Hugo** (wall; runs) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${done_sizes[@]}"; do
    echo "| $n | $(fmt "$(median "$n" nd_full 3)") s | $(fmt "$(median "$n" nd_full 4)") s | $(mib "$(median "$n" nd_full 5)") | $(fmt "$(median "$n" zola_full 3)") s | $(fmt "$(median "$n" zola_full 4)") s | $(mib "$(median "$n" zola_full 5)") | $(fmt "$(median "$n" hugo_full 3)") s | $(fmt "$(median "$n" hugo_full 4)") s | $(mib "$(median "$n" hugo_full 5)") | **$(fmt "$(paired "$n" nd_full zola_full)")×** ($(range "$n" nd_full zola_full)) | **$(fmt "$(paired "$n" nd_full hugo_full)")×** ($(range "$n" nd_full hugo_full)) |"
  done
}

rebuild_table() {
  local n c limit what
  echo "| articles | case | wall | CPU | peak RSS | **share of the full build** (wall, paired) | target | peak RSS / full build's |"
  echo "|---:|---|---:|---:|---:|---:|---|---:|"
  for n in "${done_sizes[@]}"; do
    echo "| $n | full build, fresh output, \`--no-cache\` | $(fmt "$(median "$n" nd_full 3)") s | $(fmt "$(median "$n" nd_full 4)") s | $(mib "$(median "$n" nd_full 5)") | 100% | | 1.00 |"
    for c in nd_noop:0.02:"rebuild, nothing changed" nd_one_changed:0.03:"rebuild, one dump changed" nd_new_day:0.10:"rebuild, a new day of $new_day_count dumps added"; do
      IFS=: read -r c limit what <<<"$c"
      local r
      r=$(paired "$n" "$c" nd_full)
      echo "| $n | $what | $(fmt "$(median "$n" "$c" 3)") s | $(fmt "$(median "$n" "$c" 4)") s | $(mib "$(median "$n" "$c" 5)") | **$(pct "$r")** | ≤ $(pct "$limit"): $(verdict "$r" "$limit") | $(fmt "$(paired "$n" "$c" nd_full 5)") |"
    done
  done
}

floor_table() {
  local n
  echo "| articles | I/O floor (read + write) | **newsdigest full / floor** (paired) | full build, µs per article |"
  echo "|---:|---:|---:|---:|"
  for n in "${done_sizes[@]}"; do
    echo "| $n | $(fmt "$(median "$n" io_floor 3)" 3) s ($(fmt "$(median "$n" io_floor_read 3)" 3) + $(fmt "$(median "$n" io_floor_write 3)" 3)) | **$(fmt "$(paired "$n" nd_full io_floor)")×** | $(awk -v w="$(median "$n" nd_full 3)" -v n="$n" 'BEGIN { if (w == "nan") print "–"; else printf "%.0f", w / n * 1e6 }') |"
  done
}

built_table() {
  local n s_n in_f in_b nd_f nd_b z_f z_b h_f h_b
  echo "| articles | input files | input MB | newsdigest output files | MB | Zola output files | MB | Hugo output files | MB | newsdigest's summary |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in "${done_sizes[@]}"; do
    read -r s_n in_f in_b nd_f nd_b z_f z_b h_f h_b <"$bench_dir/sizes-$n.tsv"
    echo "| $s_n | $in_f | $(mb "$in_b") | $nd_f | $(mb "$nd_b") | $z_f | $(mb "$z_b") | $h_f | $(mb "$h_b") | $(cat "$bench_dir/summary-$n.txt") |"
  done
}

million_section() {
  local n=$million_count s_n in_f in_b nd_f nd_b
  read -r s_n in_f in_b nd_f nd_b _ <"$bench_dir/sizes-$n.tsv"
  echo "## 1,000,000 dumps, one full build"
  echo
  echo "The kit's dumps (\`gen_corpus.py --n $n --format dump --seed $seed\`, over $(awk -v n=$n 'BEGIN { d = int((n + 699) / 700); printf "%d", d < 30 ? 30 : d }') days so that no day"
  echo "reaches 1,000), then \`newsdigest build --no-cache\` into a new folder, watched: killed if its RSS passed"
  echo "$rss_limit_gib GiB, if the machine had under 1 GiB available, or if under $min_free_gib GiB of disk were left."
  echo
  echo "| step | wall | CPU | peak RSS | outcome |"
  echo "|---|---:|---:|---:|---|"
  local c
  for c in generate nd_full; do
    local row
    row=$(awk -F'\t' -v n=$n -v c=$c 'NR > 1 && $1 == n && $3 == c' "$raw")
    if [ -z "$row" ]; then
      echo "| $c | – | – | – | not run (the step before failed) |"
    else
      IFS=$'\t' read -r _ _ _ w cpu rss status _ <<<"$row"
      if [ "$status" = ok ]; then
        echo "| $c | $w s | $cpu s | $(mib "$rss") | $status |"
      else
        echo "| $c | – | – | – | $status |"
      fi
    fi
  done
  echo
  echo "Input: $in_f files, $(mb "$in_b") MB. Written when it finished or stopped (output and staging"
  echo "folders): $nd_f files, $(mb "$nd_b") MB."
  if [ -s "$bench_dir/tail-$n.txt" ]; then
    echo
    echo "The end of newsdigest's output (\`--timings\`):"
    echo
    echo '```'
    cat "$bench_dir/tail-$n.txt"
    echo '```'
  fi
  echo
}

targets_table() {
  local n r
  echo "| target | measured | |"
  echo "|---|---|---|"
  for n in 10000 100000; do
    has_size "$n" || continue
    r=$(paired "$n" nd_noop nd_full)
    echo "| $n: nothing changed ≤ 2% of a full build | $(pct "$r") | $(verdict "$r" 0.02) |"
    r=$(paired "$n" nd_one_changed nd_full)
    echo "| $n: one dump changed ≤ 3% | $(pct "$r") | $(verdict "$r" 0.03) |"
    r=$(paired "$n" nd_new_day nd_full)
    echo "| $n: a new day of $new_day_count dumps ≤ 10% | $(pct "$r") | $(verdict "$r" 0.10) |"
    local c worst=0
    for c in nd_noop nd_one_changed nd_new_day; do
      worst=$(awk -v w="$worst" -v r="$(paired "$n" "$c" nd_full 5)" 'BEGIN { if (r == "nan" || w == "nan") print "nan"; else print (r > w ? r : w) }')
    done
    echo "| $n: a rebuild never uses more memory than a full build (highest rebuild/full peak RSS) | $(fmt "$worst")× | $(verdict "$worst" 1) |"
  done
  if has_size 100000; then
    r=$(median 100000 nd_full 5)
    echo "| 100000: full build peaks at ≤ 1 GiB RSS | $(mib "$r") | $(verdict "$r" 1048576) |"
  fi
  if $million_done; then
    local status
    status=$(awk -F'\t' -v n=$million_count 'NR > 1 && $1 == n && $3 == "nd_full" { print $7 }' "$raw")
    echo "| 1,000,000 dumps build on this machine | $(mib "$(median $million_count nd_full 5)"), $(fmt "$(median $million_count nd_full 3)" 0) s | $( [ "$status" = ok ] && echo met || echo "**not met** (${status:-not run: the dumps could not be generated})") |"
  fi
  if ! has_size 10000 && ! has_size 100000 && ! $million_done; then
    echo "| (the targets are for 10,000 and 100,000 articles and the 1,000,000 build; none was measured) | | |"
  fi
  if has_size 10000; then
    r=$(paired 10000 nd_full zola_full)
    echo "| 10000: full build ≤ Zola's wall time (goal 0.5×) | $(fmt "$r")× | $(verdict "$r" 1)$(awk -v r="$r" 'BEGIN { if (r != "nan" && r <= 0.5) print ", goal met" }') |"
  fi
}

every_run_table() {
  echo "| articles | run | case | wall s | CPU s | peak RSS KiB | outcome | load (1 min) at its start |"
  echo "|---:|---:|---|---:|---:|---:|---|---:|"
  awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$raw"
}

# "3 runs at 10000, 1 at 100000" (and ", 1 at 1000000" with --million).
runs_summary() {
  local n out=""
  for n in "${done_sizes[@]}"; do out+=", ${runs_of[$n]} at $n"; done
  if $million_done; then out+=", 1 at $million_count"; fi
  out=${out#, }
  echo "${out/ at / run(s) at }"
}

# write_results: the report so far into RESULTS (atomically), so that a benchmark stopped
# halfway keeps what it measured.
write_results() {
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)
  local tmp
  tmp=$(mktemp "$bench_dir/results.XXXXXX")
  report >"$tmp"
  mv "$tmp" "$results"
  log "results so far written to $results"
}

# code_version: the commit checked out and the last one that changed what the binary is built
# from (a branch that changed only the benchmark builds the same newsdigest as its base), and
# whether that code has uncommitted changes.
code_version() {
  local head code dirty=""
  head=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  code=$(git -C "$repo" log -1 --format=%h -- src themes Cargo.toml Cargo.lock)
  [ -z "$(git -C "$repo" status --porcelain -- src themes Cargo.toml Cargo.lock)" ] || dirty=", with uncommitted changes"
  echo "\`$head\`, code as of \`$code\`$dirty"
}

report() {
  local flags
  flags="--sizes ${sizes:-''} --runs $runs --seed $seed"
  if $million; then flags+=" --million"; fi
  echo "# Benchmark results: newsdigest's builds and rebuilds, beside Zola and Hugo"
  echo
  echo "Written by \`bench/compare.sh $flags\` on $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "(newsdigest commit $nd_commit). Medians of $(runs_summary); ratios are medians of per-run ratios"
  echo "of runs made back to back (each run does newsdigest, Zola, Hugo, newsdigest's rebuilds, the I/O"
  echo "floor, then the next run again), so noise from other work on the machine hits all sides alike."
  if [ -n "$still_to_do" ]; then
    echo
    echo "**Partial results**: written while the benchmark ran; not measured (yet): $still_to_do."
    echo "The tables cover the sizes measured to the end; \"Every run\" lists every finished run, also"
    echo "of a size still being measured."
  fi
  echo
  echo "## Machine"
  echo
  machine_table
  echo
  if [ ${#done_sizes[@]} -gt 0 ]; then
    echo "## Full builds"
    echo
    full_table
    echo
    echo "## newsdigest's rebuilds against its full build (issue 14's targets)"
    echo
    rebuild_table
    echo
    echo "## I/O floor"
    echo
    floor_table
    echo
    echo "## What was built"
    echo
    built_table
    echo
  fi
  if $million_done; then million_section; fi
  echo "## Against the targets of issue 14"
  echo
  targets_table
  echo
  local failed n c
  failed=""
  for n in "${done_sizes[@]}"; do
    for c in nd_full zola_full hugo_full nd_noop nd_one_changed nd_new_day nd_day_removed io_floor; do
      local f
      f=$(failures "$n" "$c")
      [ -z "$f" ] || failed+="- $n, $c: $f"$'\n'
    done
  done
  if [ -n "$failed" ]; then
    echo "## Runs that failed (left out of the medians)"
    echo
    printf '%s\n' "$failed"
  fi
  cat <<EOF
## What each number means

- **Corpus**: the peer benchmark kit (\`prepare.sh N DIR dump hugo zola\`, seed $seed; the kit is
  not in this repository: \`--kit DIR\`) writes the same N articles for all three tools: as
  newsdigest dumps (\`YYYY-MM-DD/RRR_ID.txt\`: paragraphs, then the 16 listed headlines of other
  articles, no title), as Hugo pages and as Zola pages (title, date and 2–4 tags in the front
  matter, the body, the 16 headlines as a list). 450–700 words each, over 30 days (over
  ceil(N / 700) days past 21,000 articles). This is the corpus issue 14's table
  was measured with. \`newsdigest generate\` (a different, richer corpus with six house styles)
  is not used here, so the figures are not comparable with RESULTS files written before issue 14.
- **The sites**: Zola and Hugo build the kit's minimal sites (a page per article, a home page of
  the 50 latest, \`/tags/\` and a page per tag, \`rss.xml\`, \`sitemap.xml\`). newsdigest builds its
  full site with its default settings (the peers' title and base URL in \`site.yaml\`; no
  precompressed twins, as the peers): besides its pages per article, day, topic and the front
  page, it recovers titles from the dumps, merges duplicates, ranks stories, finds related
  coverage and writes Markdown sources, RSS, Atom and JSON feeds, sitemaps, the search index,
  the archive and more. So it writes several times the peers' files (see "What was built"):
  the comparison is of the wall time a user waits, not of equal work.
- **newsdigest full**: \`newsdigest build --no-cache --quiet\` of the dumps into an output folder
  that does not exist (nothing carried over, no cache read or written).
- **Zola full**: \`zola --root SITE build --output-dir OUT --force\`, OUT not existing.
- **Hugo full**: \`hugo --quiet -s SITE -d OUT\`, OUT not existing, no \`resources/\`.
- **Rebuilds**: \`newsdigest build --quiet\` with its cache of a separate copy of the site, which
  its previous build left (output and \`.newsdigest-cache/\`): *nothing changed* (the build right
  after the previous one); *one dump changed* (the newest day's top story got one sentence more in
  its first paragraph, a different one each run); *a new day of $new_day_count dumps added*
  ($new_day_count dumps written by the kit's generator with seed $((seed + 1)) for the day after the
  corpus's last day, copied in; a day of that size is what the issue describes, and a separate
  generation keeps the base corpus exactly the one Zola and Hugo build). After that, the day is
  removed and the site rebuilt (\`nd_day_removed\` in "Every run"), so each run starts from the
  same N dumps. Each share is the median over runs of rebuild wall / full-build wall of the same
  run; the new-day rebuild builds N + $new_day_count articles, its full build N. "Peak RSS /
  full build's" is the same for peak RSS.
- **I/O floor**: \`examples/io_floor.rs\` reads every dump and writes the newsdigest output's
  folders and files (same count, same sizes) into a new folder, on as many threads as cores,
  without fsync (newsdigest does not fsync either). It is timed inside the process. Its write
  side depends on the kernel's writeback of what earlier runs (and other users of the disk)
  left dirty: it is the noisiest figure on a shared machine.
- Wall time, user+sys CPU time and peak RSS come from \`/usr/bin/time -f '%e %U %S %M'\`. All
  content is read from a warm page cache. Every process is watched (RSS limit $rss_limit_gib GiB, at
  least 1 GiB of the machine's memory and $min_free_gib GiB of disk left) and killed past a limit;
  such a run is listed with its reason and left out of the medians. The machine is shared: the
  load averages above say how busy it was.

## Every run

EOF
  every_run_table
}

# ---- main ------------------------------------------------------------------------------------
check_kit
mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd)
install_tools
raw=$bench_dir/runs.tsv
printf 'size\trun\tcase\twall_s\tcpu_s\tpeak_rss_kb\toutcome\tload_1min\n' >"$raw"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
edited=""  # the dump the one-changed runs edit, set by prepare
new_day="" # the folder name of the added day, set by prepare
done_sizes=() # the sizes measured so far, which the report covers
million_done=false
still_to_do=""
for n in "${size_list[@]}"; do
  still_to_do="${still_to_do:+$still_to_do, }$n"
done
if $million; then still_to_do="${still_to_do:+$still_to_do, }the $million_count build"; fi
for n in "${size_list[@]}"; do
  started=$(date +%s)
  prepare "$n"
  for run in $(seq 1 "${runs_of[$n]}"); do
    one_run "$n" "$run"
    write_results
  done
  record_sizes "$n"
  log "N=$n: done in $(($(date +%s) - started)) s"
  done_sizes+=("$n")
  still_to_do=${still_to_do#"$n"}
  still_to_do=${still_to_do#, }
  write_results
  # Deleting some 100,000 files per 10,000 articles can take minutes on a busy disk: after the
  # results are safe.
  $keep || rm -rf "${bench_dir:?}/$n"
done
if $million; then
  started=$(date +%s)
  million_build
  log "N=$million_count: done in $(($(date +%s) - started)) s"
  million_done=true
  still_to_do=""
  write_results
  $keep || rm -rf "${bench_dir:?}/$million_count"
fi
sed -n '/^## Full builds/,/^## What each number means/p' "$results" | sed '$d'
