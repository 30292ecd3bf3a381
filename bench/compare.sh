#!/usr/bin/env bash
# newsdigest against Hugo, side by side, in one run, on the same generated articles.
#
#   bench/compare.sh [--sizes 1000,10000,100000] [--runs 3] [--seed 1] [--dir DIR] [--results FILE]
#
# Environment variables SIZES, RUNS, SEED, BENCH_DIR and RESULTS set the same things (flags win).
#
# What it does:
#  1. Installs Hugo with apt when `hugo` is missing (sudo when not root), builds newsdigest and
#     the I/O floor measurer (examples/io_floor.rs) with --release.
#  2. For each size N: generates N articles (seeded) twice over into BENCH_DIR/N (default
#     target/bench/N): as dumps in nd/content/ with a site.yaml comparable to Hugo's config, and
#     as Hugo pages in hugo/content/ with bench/hugo-site/ (config and layouts) copied beside.
#     Then builds the newsdigest site once with its cache (not timed) for the incremental runs.
#  3. RUNS times, interleaved so that noise from other work on the machine hits all of them:
#       newsdigest full build   build --no-cache into an output folder that does not exist yet
#       Hugo full build         hugo --quiet -s hugo -d OUT, OUT not existing yet, no resources/
#       newsdigest incremental  build (cache on) of the site the previous build left (output/ and
#                               .newsdigest-cache/), after one dump (the newest day's top story)
#                               got a new sentence in its first paragraph
#       I/O floor               read all of nd/content, write the full build's output shape anew
#     Every run reads its content from a warm page cache (the files were just written or read),
#     and nothing calls fsync. Wall time, user+sys CPU and peak RSS come from /usr/bin/time.
#  4. Writes medians, paired ratios, output sizes and the machine to RESULTS (default
#     bench/RESULTS.md) and prints the table.
#
# Disk: about 130 KB per article (dumps, Hugo pages, both outputs, the incremental site's
# output and the floor's copy), so 10,000 articles need 1.3 GB and 100,000 some 13 GB free under
# BENCH_DIR. Memory: Hugo peaked at 1.3 GB on 10,000 articles.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sizes=${SIZES:-1000,10000,100000}
runs=${RUNS:-3}
seed=${SEED:-1}
bench_dir=${BENCH_DIR:-$repo/target/bench}
results=${RESULTS:-$repo/bench/RESULTS.md}

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a list like 1000,10000}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --dir) bench_dir=${2:?--dir needs a folder}; shift 2 ;;
    --results) results=${2:?--results needs a file}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
is_count "$runs" || { echo "compare.sh: --runs must be a positive number, not $runs" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "compare.sh: --seed must be a number, not $seed" >&2; exit 2; }
IFS=, read -r -a size_list <<<"$sizes"
[ ${#size_list[@]} -gt 0 ] || { echo "compare.sh: --sizes is empty" >&2; exit 2; }
for n in "${size_list[@]}"; do
  is_count "$n" || { echo "compare.sh: bad size '$n' in --sizes $sizes" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- tools -----------------------------------------------------------------------------------
[ -x /usr/bin/time ] || { echo "compare.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
if ! command -v hugo >/dev/null 2>&1; then
  log "installing hugo with apt"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y hugo
fi

log "building newsdigest and the I/O floor measurer (release)"
(cd "$repo" && cargo build --release --quiet --bin newsdigest --example io_floor)
target_dir=${CARGO_TARGET_DIR:-$repo/target}
nd_bin=$target_dir/release/newsdigest
floor_bin=$target_dir/release/examples/io_floor
if [ ! -x "$nd_bin" ] || [ ! -x "$floor_bin" ]; then
  echo "compare.sh: no binaries in $target_dir/release" >&2
  exit 1
fi

mkdir -p "$bench_dir"
edited="" # the dump the incremental runs change, set by prepare
raw=$bench_dir/runs.tsv
printf 'size\trun\tcase\twall_s\tcpu_s\tpeak_rss_kb\n' >"$raw"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- measuring -------------------------------------------------------------------------------
# measure SIZE RUN CASE COMMAND...: runs COMMAND under /usr/bin/time, appends a row to runs.tsv.
measure() {
  local size=$1 run=$2 name=$3
  shift 3
  local dir=$bench_dir/$size
  local tfile=$dir/time.txt out=$dir/$name.log
  if ! /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" >"$out" 2>&1; then
    echo "compare.sh: $name failed: $*" >&2
    tail -n 20 "$out" >&2
    exit 1
  fi
  local wall user sys rss
  read -r wall user sys rss <"$tfile"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$run" "$name" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" "$rss" >>"$raw"
}

# Files and bytes below a folder: "FILES BYTES".
tally() {
  printf '%s %s\n' "$(find "$1" -type f | wc -l)" "$(du -sb "$1" | cut -f1)"
}

# The site.yaml that makes newsdigest's site comparable to bench/hugo-site/config.toml.
site_yaml() {
  cat <<'YAML'
# Written by bench/compare.sh: the same settings as bench/hugo-site/config.toml.
title: Benchmark Digest
base_url: https://digest.example.org/
language: en
per_page: 20
feed_items: 20
compress: false
YAML
}

prepare() {
  local n=$1 dir=$bench_dir/$1
  log "N=$n: generating the corpus into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/nd"
  "$nd_bin" generate --count "$n" --seed "$seed" --out "$dir/nd/content" --hugo "$dir/hugo" 2>"$dir/generate.log"
  cp -R "$repo/bench/hugo-site/." "$dir/hugo/"
  site_yaml >"$dir/nd/site.yaml"
  log "N=$n: first build with the cache, for the incremental runs (not timed)"
  "$nd_bin" build --root "$dir/nd" 2>"$dir/prime.log"
  # The edited dump: the newest day's top story, the most common edit on a live digest.
  local newest
  newest=$(find "$dir/nd/content" -mindepth 1 -maxdepth 1 -type d | sort | tail -n 1)
  edited=$(find "$newest" -name '000_*.txt' | head -n 1)
  [ -n "$edited" ] || { echo "compare.sh: no top story in $newest" >&2; exit 1; }
  cp "$edited" "$dir/edited.orig"
}

for n in "${size_list[@]}"; do
  prepare "$n"
  dir=$bench_dir/$n
  for run in $(seq 1 "$runs"); do
    log "N=$n run $run/$runs: newsdigest full"
    rm -rf "$dir/nd-full"
    mkdir -p "$dir/nd-full"
    measure "$n" "$run" nd_full "$nd_bin" build --root "$dir/nd" --output "$dir/nd-full/output" --no-cache --quiet

    log "N=$n run $run/$runs: hugo full"
    rm -rf "$dir/hugo-out" "$dir/hugo/resources"
    measure "$n" "$run" hugo_full hugo --quiet -s "$dir/hugo" -d "$dir/hugo-out"
    # Hugo skips pages silently (future dates, drafts); a comparison with a smaller site is void.
    hugo_articles=$(find "$dir/hugo-out/articles" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
    if [ "$hugo_articles" -ne "$n" ]; then
      echo "Hugo built $hugo_articles article pages of $n; check bench/hugo-site/config.toml" >&2
      exit 1
    fi

    log "N=$n run $run/$runs: newsdigest incremental"
    # A different sentence each run, so every run has a real change to build.
    # Its first paragraph is its first line of 80 characters or more (a byline, photo credit or
    # boilerplate line may come before it).
    sed "0,/.\{80\}/s/.\{80\}.*/& The council confirmed the figures in benchmark run $run./" "$dir/edited.orig" >"$edited"
    measure "$n" "$run" nd_incremental "$nd_bin" build --root "$dir/nd" --quiet

    log "N=$n run $run/$runs: I/O floor"
    rm -rf "$dir/floor-scratch"
    "$floor_bin" --content "$dir/nd/content" --output "$dir/nd-full/output" --scratch "$dir/floor-scratch" >"$dir/floor.txt"
    floor_s=$(sed -n 's/^floor_seconds=//p' "$dir/floor.txt")
    printf '%s\t%s\tio_floor\t%s\t-\t-\n' "$n" "$run" "$floor_s" >>"$raw"
    for part in read write; do
      printf '%s\t%s\tio_floor_%s\t%s\t-\t-\n' "$n" "$run" "$part" \
        "$(sed -n "s/^${part}_seconds=//p" "$dir/floor.txt")" >>"$raw"
    done
  done
  cp "$dir/edited.orig" "$edited"
  read -r nd_files nd_bytes < <(tally "$dir/nd-full/output")
  read -r hugo_files hugo_bytes < <(tally "$dir/hugo-out")
  read -r in_files in_bytes < <(tally "$dir/nd/content")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$in_files" "$in_bytes" "$nd_files" "$nd_bytes" \
    "$hugo_files" "$hugo_bytes" >"$dir/sizes.tsv"
  head -n 1 "$dir/prime.log" >"$dir/summary.txt"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ----------------------------------------------------------------------------------
# median SIZE CASE COLUMN: the median of a column of runs.tsv (3 = wall, 4 = cpu, 5 = rss).
median() {
  awk -F'\t' -v n="$1" -v c="$2" -v col="$(($3 + 1))" 'NR > 1 && $1 == n && $3 == c { print $col }' "$raw" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# paired SIZE CASE_A CASE_B: the median over runs of wall(A)/wall(B) within the same run.
paired() {
  awk -F'\t' -v n="$1" -v a="$2" -v b="$3" '
    NR > 1 && $1 == n && $3 == a { x[$2] = $4 }
    NR > 1 && $1 == n && $3 == b { y[$2] = $4 }
    END { for (r in x) if ((r in y) && y[r] > 0) print x[r] / y[r] }' "$raw" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x == "nan") print "–"; else printf "%.*f\n", d, x }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f\n", k / 1024 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f\n", b / 1e6 }'; }

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
os_name=$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | tr -d '"')
hugo_version=$(hugo version | head -n 1)
rustc_version=$(rustc --version)
nd_commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)

# verdict VALUE LIMIT: "met" when VALUE <= LIMIT.
verdict() {
  awk -v v="$1" -v l="$2" 'BEGIN { if (v == "nan") print "not measured"; else if (v + 0 <= l + 0) print "met"; else print "**not met**" }'
}

has_size() {
  local s
  for s in "${size_list[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# The issue's targets, each as a table row (only for the sizes that were measured).
targets() {
  local r n
  if has_size 10000; then
    r=$(paired 10000 nd_full hugo_full)
    echo "| full build of 10,000: at most 0.5× Hugo's wall time | $(fmt "$r")× | $(verdict "$r" 0.5) |"
    r=$(paired 10000 nd_incremental nd_full)
    echo "| incremental rebuild of 10,000 after one changed dump: at most 5% of the full build | $(fmt "$(awk -v r="$r" 'BEGIN { print r * 100 }')" 1)% | $(verdict "$r" 0.05) |"
  fi
  if has_size 100000; then
    r=$(median 100000 nd_full 5)
    echo "| 100,000: peak RSS at most 1 GiB | $(mib "$r") MiB | $(verdict "$r" 1048576) |"
    if has_size 10000; then
      r=$(awk -v a="$(median 100000 nd_full 3)" -v b="$(median 10000 nd_full 3)" 'BEGIN { print (a / 100000) / (b / 10000) }')
      echo "| 100,000: time per article within 1.5× of the 10,000 run | $(fmt "$r")× | $(verdict "$r" 1.5) |"
    fi
  fi
  for n in "${size_list[@]}"; do
    r=$(paired "$n" nd_full io_floor)
    echo "| full build of $n within 3× of the I/O floor | $(fmt "$r")× | $(verdict "$r" 3) |"
  done
}

report() {
  echo "# Benchmark results: newsdigest against Hugo"
  echo
  echo "Written by \`bench/compare.sh --sizes $sizes --runs $runs --seed $seed\` on $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "(newsdigest commit \`$nd_commit\`). Medians of $runs runs; ratios are medians of per-run ratios"
  echo "of runs made back to back (the cases are interleaved: newsdigest, Hugo, incremental, floor,"
  echo "then again), so noise from other work on the machine hits both sides alike."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $cpu_model |"
  echo "| cores | $(nproc) |"
  echo "| RAM | $mem_gib GiB |"
  echo "| kernel | $(uname -r) |"
  echo "| OS | $os_name |"
  echo "| Hugo | $hugo_version |"
  echo "| rustc | $rustc_version |"
  echo "| load average (1, 5, 15 min) | $load_start at the start, $load_end at the end |"
  echo
  echo "## Full builds"
  echo
  echo "| articles | newsdigest wall | CPU | peak RSS | Hugo wall | CPU | peak RSS | **newsdigest / Hugo** (wall) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${size_list[@]}"; do
    echo "| $n | $(fmt "$(median "$n" nd_full 3)") s | $(fmt "$(median "$n" nd_full 4)") s | $(mib "$(median "$n" nd_full 5)") MiB | $(fmt "$(median "$n" hugo_full 3)") s | $(fmt "$(median "$n" hugo_full 4)") s | $(mib "$(median "$n" hugo_full 5)") MiB | **$(fmt "$(paired "$n" nd_full hugo_full)")** |"
  done
  echo
  echo "## Incremental rebuild and I/O floor"
  echo
  echo "| articles | incremental wall | CPU | peak RSS | **incremental / full** | I/O floor (read + write) | **newsdigest full / floor** | full build, µs per article |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${size_list[@]}"; do
    local per_article
    per_article=$(awk -v w="$(median "$n" nd_full 3)" -v n="$n" 'BEGIN { printf "%.0f", w / n * 1e6 }')
    echo "| $n | $(fmt "$(median "$n" nd_incremental 3)") s | $(fmt "$(median "$n" nd_incremental 4)") s | $(mib "$(median "$n" nd_incremental 5)") MiB | **$(fmt "$(paired "$n" nd_incremental nd_full)" 3)** | $(fmt "$(median "$n" io_floor 3)" 3) s ($(fmt "$(median "$n" io_floor_read 3)" 3) + $(fmt "$(median "$n" io_floor_write 3)" 3)) | **$(fmt "$(paired "$n" nd_full io_floor)")** | $per_article |"
  done
  echo
  echo "## What was built"
  echo
  echo "| articles | input files | input MB | newsdigest output files | MB | Hugo output files | MB | newsdigest's summary |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in "${size_list[@]}"; do
    local s_n in_f in_b nd_f nd_b h_f h_b
    read -r s_n in_f in_b nd_f nd_b h_f h_b <"$bench_dir/$n/sizes.tsv"
    echo "| $s_n | $in_f | $(mb "$in_b") | $nd_f | $(mb "$nd_b") | $h_f | $(mb "$h_b") | $(cat "$bench_dir/$n/summary.txt") |"
  done
  echo
  echo "## Against the targets of issue 6"
  echo
  echo "| target | measured | |"
  echo "|---|---|---|"
  targets
  cat <<'EOF'

## What each number means

- **Corpus**: `newsdigest generate --count N --seed S --out nd/content --hugo hugo` writes the
  same N articles as dumps (about 40 per day, from six fictional sites in their own house
  styles, see `docs/generate.md`) and as Hugo pages whose front matter carries what a perfect
  reader recovers from the dumps (true title, day, rank, tags from the names each story
  mentions, clean lead, the listed headlines) and whose body is the clean article text.
  Hugo uses `bench/hugo-site/`.
- **Comparable settings**: newsdigest's `site.yaml` has Hugo's `baseURL`, `title` and
  `languageCode`, `per_page: 20` (Hugo `paginate = 20`), `feed_items: 20` (Hugo `rssLimit = 20`)
  and `compress: false` (Hugo does not precompress).
- **Pages**: both build a front page (the newest day, paginated), a page per day (paginated),
  a page per article, topic/tag pages and RSS feeds (site, per day, per topic/tag). newsdigest
  also writes what Hugo is not asked to: each article's Markdown source, Atom and JSON feeds,
  sitemaps, the headline index, the archive, the search page and index, robots.txt, 404 and
  JSON-LD, and it recovers titles, merges duplicates, ranks top stories and finds related
  articles from the raw dumps, which Hugo is handed ready-made. Hugo lists every tag and day on
  one page each and makes a tag page for every name, where newsdigest makes topics of names in
  at least 3 articles.
- **newsdigest full**: `newsdigest build --no-cache --quiet` into an output folder that does not
  exist (nothing to carry over, no cache read or written).
- **Hugo full**: `hugo --quiet -s SITE -d OUT`, OUT not existing, no `resources/`.
- **Incremental**: `newsdigest build --quiet` with its cache, of the site the previous build
  left, after the newest day's top story got one more sentence (a different one each run).
  The ratio is to the full build of the same run.
- **I/O floor**: `examples/io_floor.rs` reads every file of the content folder and writes the
  newsdigest output's folders and files (same count, same sizes) into a new folder, on as many
  threads as cores, without fsync (newsdigest does not fsync either). It is timed inside the
  process, without its start-up and clean-up. Nothing calls fsync, so its write side depends
  on the kernel's writeback of what earlier runs (and other users of the disk) left dirty: it
  is the noisiest figure on a shared machine; see every run below.
- Wall time, user+sys CPU time and peak RSS come from `/usr/bin/time -f '%e %U %S %M'`. All
  content is read from a warm page cache. The machine may be shared: the load averages above
  say how busy it was.

## Every run

| articles | run | case | wall s | CPU s | peak RSS KiB |
|---:|---:|---|---:|---:|---:|
EOF
  awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$raw"
}

tmp=$(mktemp "$bench_dir/results.XXXXXX")
report >"$tmp"
mv "$tmp" "$results"
log "results written to $results"
sed -n '/^## Full builds/,/^## What each number means/p' "$results" | sed '$d'
