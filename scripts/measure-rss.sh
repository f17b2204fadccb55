#!/usr/bin/env bash
# Peak memory of the Casebook app on one case, as a person would use it: the app runs in a
# real window under Xvfb (software rendering), opens CASE on Details, then shows the Map, then
# the Preview (xdotool picks them from the View menu, at the top left of a 1280 × 800
# screen; SHOTS shows whether they were hit), and quits. Prints the peak resident
# set (VmHWM from /proc, read just before quitting) and /usr/bin/time -v's "Maximum resident
# set size" for the whole run.
#
#   bash scripts/measure-rss.sh CASE_FOLDER [BINARY]     # BINARY: target/release/casebook
#   SETTLE=8 bash scripts/measure-rss.sh ...             # seconds on each view (default 6)
#   SHOTS=DIR bash scripts/measure-rss.sh ...            # also save a screenshot of each view
#                                                        # (python3 with Pillow)
#
# The case is copied to a temporary folder first (the app never touches the original), and
# the app's own files (settings, recovery copies, tile cache) go to a temporary data folder,
# so runs do not affect each other. Needs Xvfb, xdotool and /usr/bin/time
# (apt-get install xvfb xdotool time). Build the release binary first:
#   cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
case_dir=${1:?usage: measure-rss.sh CASE_FOLDER [BINARY]}
bin=${2:-target/release/casebook}
settle=${SETTLE:-6}
for tool in Xvfb xdotool /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "measure-rss: $tool is not installed" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "measure-rss: $bin is not built (cargo build --release)" >&2; exit 2; }
[ -f "$case_dir/index.md" ] || { echo "measure-rss: $case_dir has no index.md" >&2; exit 2; }

work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/cases" "$work/data"
cp -r "$case_dir" "$work/cases/"
case_copy="$work/cases/$(basename "$case_dir")"

# A free display number.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
for _ in $(seq 50); do
  xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done

CASEBOOK_DATA_DIR="$work/data" /usr/bin/time -v -o "$work/time.txt" \
  "$bin" "$case_copy" >"$work/app.log" 2>&1 &
time_pid=$!
# The app is the child of /usr/bin/time.
for _ in $(seq 100); do
  app_pid=$(pgrep -P "$time_pid" || true)
  [ -n "$app_pid" ] && break
  sleep 0.1
done
[ -n "$app_pid" ] || { echo "measure-rss: the app did not start" >&2; cat "$work/app.log" >&2; exit 1; }

window=
for _ in $(seq 200); do
  window=$(xdotool search --pid "$app_pid" 2>/dev/null | tail -1 || true)
  [ -n "$window" ] && break
  sleep 0.1
done
[ -n "$window" ] || { echo "measure-rss: no window appeared" >&2; cat "$work/app.log" >&2; exit 1; }

hwm() { awk '/VmHWM/ {print $2}' "/proc/$app_pid/status"; }
shot() {
  [ -n "${SHOTS:-}" ] || return 0
  mkdir -p "$SHOTS"
  python3 -c "from PIL import ImageGrab; ImageGrab.grab(xdisplay='$DISPLAY').save('$SHOTS/$1.png')" || true
}
# No window manager: give the window the keyboard focus directly.
xdotool windowfocus --sync "$window" >/dev/null 2>&1 || true
sleep "$settle"
details=$(hwm)
shot details
# The View menu (keys sent by xdotool do not reach the window without a window manager; the
# tabs move with the side panel's width, the menu's items do not).
view_menu() {
  xdotool mousemove --window "$window" 95 12 click 1
  sleep 0.5
  xdotool mousemove --window "$window" "$1" "$2" click 1
}
view_menu 100 91   # View › Map
sleep "$settle"
map=$(hwm)
shot map
view_menu 112 117  # View › Preview
sleep "$settle"
preview=$(hwm)
shot preview
rss_now=$(awk '/VmRSS/ {print $2}' "/proc/$app_pid/status")
kill -TERM "$app_pid" 2>/dev/null || true
for _ in $(seq 50); do
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
kill "$app_pid" 2>/dev/null || true
wait "$time_pid" 2>/dev/null || true
app_pid=

max_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "case:     $(basename "$case_dir")"
echo "binary:   $bin"
echo "peak RSS (VmHWM) after Details: $((details / 1024)) MB, after Map: $((map / 1024)) MB, after Preview: $((preview / 1024)) MB"
echo "RSS at the end (VmRSS): $((rss_now / 1024)) MB"
echo "/usr/bin/time -v maximum resident set size: $((${max_rss:-0} / 1024)) MB"
