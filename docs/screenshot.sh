#!/bin/sh
# screenshot.sh makes docs/screenshot.png, the README's picture of the demo
# dashboard, from livefeed's own output: it runs livefeed (built-in demo
# config, demo server in-process) in a detached tmux session of a fixed
# size, lets the feeds run, captures the pane with its colours
# (tmux capture-pane -e), turns the ANSI text into HTML (aha) and renders
# that with headless Chromium in DejaVu Sans Mono. ImageMagick, if
# installed, trims the margin.
#
# Needs: go, tmux, aha, chromium (Debian: apt-get install tmux aha chromium
# fonts-dejavu-core; optional imagemagick). Usage, from the repository root:
#
#     docs/screenshot.sh [COLS ROWS [SECONDS]]     # default 120 36 20
set -eu

cols=${1:-120}
rows=${2:-36}
wait=${3:-20}
out=docs/screenshot.png

for tool in go tmux aha chromium; do
	command -v "$tool" >/dev/null || { echo "screenshot.sh: $tool is not installed" >&2; exit 1; }
done

tmp=$(mktemp -d)
session="livefeed-shot-$$"
cleanup() {
	tmux -L "$session" kill-server 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

go build -o "$tmp/livefeed" .

# An empty XDG_CONFIG_HOME and no LIVEFEED_CONFIG: the built-in demo config.
# The 16 ANSI colours, as the program uses them, come out as aha's palette.
tmux -L "$session" -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" \
	"env -u LIVEFEED_CONFIG XDG_CONFIG_HOME=$tmp/config TERM=xterm-256color COLORTERM= $tmp/livefeed --log-file $tmp/livefeed.log"
tmux -L "$session" set-option -t shot status off >/dev/null
sleep "$wait"
tmux -L "$session" capture-pane -t shot -p -e >"$tmp/screen.ansi"

# aha writes <pre> with inline colours; the page gives it the terminal's
# font and background, sized to the text.
aha --black --no-header <"$tmp/screen.ansi" >"$tmp/body.html"
font=15
width=$(( cols * 6021 * font / 10000 + 40 ))  # DejaVu Sans Mono advance: 0.6021 em
height=$(( rows * 17 + 40 ))                   # line-height 17px: below the glyphs' 1.16 em, so box lines join
cat >"$tmp/page.html" <<HTML
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
html, body { margin: 0; background: #000; }
pre { margin: 0; padding: 20px; color: #ddd; font: ${font}px/17px "DejaVu Sans Mono", monospace;
      font-variant-ligatures: none; white-space: pre; }
</style></head><body><pre>$(cat "$tmp/body.html")</pre></body></html>
HTML

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--user-data-dir="$tmp/chromium" --window-size="$width,$height" \
	--screenshot="$tmp/shot.png" "file://$tmp/page.html" >/dev/null 2>&1

if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
	convert "$tmp/shot.png" -bordercolor black -border 1 -trim +repage -bordercolor black -border 12 "$out"
else
	cp "$tmp/shot.png" "$out"
fi
echo "wrote $out (${cols}×${rows})"
