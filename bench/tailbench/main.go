// Command tailbench times whole client processes reading one generated event
// stream over a real socket: livefeed tail (--quiet, --json), a minimal go-sse
// client (./gosse) and curl to /dev/null, interleaved run by run so that each
// run's ratios share the machine's conditions. With --big it instead serves
// one large event and reports each process's peak RSS (issue 11, item 6).
//
//	go run ./bench/tailbench                       # 60 MB market stream, 3 runs
//	go run ./bench/tailbench --big 10MB --runs 1   # peak RSS around one 10 MB event
//
// It measures; it never fails on a number.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	bin, gosse, curl string
	mb               int
	big              int
	runs             int
	clients          string
	compare          []string // more livefeed binaries, each run as tail --quiet
	writeSize        int
	serve            string // serve the stream on this address until interrupted, to profile a client by hand
}

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	var o options
	fs := flag.NewFlagSet("tailbench", flag.ExitOnError)
	fs.StringVar(&o.bin, "bin", "", "livefeed binary (default: go build the module into a temporary directory)")
	fs.StringVar(&o.gosse, "gosse", "", "go-sse client binary (default: go build ./bench/tailbench/gosse)")
	fs.StringVar(&o.curl, "curl", "curl", "curl binary")
	fs.IntVar(&o.mb, "mb", 60, "size of the market stream in MB (10^6 bytes)")
	fs.Var(sizeFlag{&o.big}, "big", "instead of the market stream, serve one event of this `SIZE` (e.g. 10MB) and report peak RSS")
	fs.IntVar(&o.runs, "runs", 3, "runs of each client")
	fs.StringVar(&o.clients, "clients", "", "comma-separated subset of clients to run (default: all)")
	fs.IntVar(&o.writeSize, "write-size", 32<<10, "bytes per server write (one HTTP chunk each)")
	fs.Var((*repeated)(&o.compare), "compare-bin", "another livefeed `binary` to run as tail --quiet in the same runs (repeatable), e.g. the build before a change")
	fs.StringVar(&o.serve, "serve", "", "only serve the stream on `ADDR` (e.g. 127.0.0.1:8099) until interrupted, to profile a client by hand")
	_ = fs.Parse(os.Args[1:])
	if o.runs < 1 || o.runs > 20 || o.mb < 1 || o.mb > 1000 || o.big < 0 || o.big > 1<<30 {
		fmt.Fprintln(os.Stderr, "tailbench: --runs 1..20, --mb 1..1000, --big ≤ 1 GiB")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "tailbench:", err)
		os.Exit(1)
	}
}

type sizeFlag struct{ n *int }

func (s sizeFlag) String() string {
	if s.n == nil {
		return "0"
	}
	return strconv.Itoa(*s.n)
}

func (s sizeFlag) Set(v string) error {
	mult := 1
	for _, u := range []struct {
		suffix string
		m      int
	}{{"MiB", 1 << 20}, {"KiB", 1 << 10}, {"MB", 1e6}, {"kB", 1e3}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSuffix(v, u.suffix), u.m
			break
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("want a size like 10MB, 10MiB or 4096")
	}
	*s.n = n * mult
	return nil
}

// client is one program under test; args get the URL and the event count.
type client struct {
	name string
	args func(url string, events int) []string
}

func run(o options) error {
	dir, err := os.MkdirTemp("", "tailbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.bin == "" {
		if o.bin, err = build(dir, "livefeed", "."); err != nil {
			return err
		}
	}
	if o.gosse == "" {
		if o.gosse, err = build(dir, "gosse", "./bench/tailbench/gosse"); err != nil {
			return err
		}
	}

	var body []byte
	var events int
	if o.big > 0 {
		body = []byte("id: 1\nevent: blob\ndata: " + strings.Repeat("x", o.big) + "\n\n")
		events = 1
	} else {
		body, events = marketStream(o.mb * 1e6)
	}
	addr := "127.0.0.1:0"
	if o.serve != "" {
		addr = o.serve
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: streamHandler(body, max(1, o.writeSize)), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	url := "http://" + l.Addr().String() + "/stream"
	if o.serve != "" {
		fmt.Printf("serving %d bytes, %d events at %s until interrupted\n", len(body), events, url)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		<-ctx.Done()
		return nil
	}

	n := strconv.Itoa(events)
	size := strconv.Itoa(max(16<<20, o.big+1<<20)) // tail's --max-event-size
	clients := []client{
		{"livefeed tail --quiet", func(u string, _ int) []string {
			return []string{o.bin, "tail", "--quiet", "--max-events", n, "--max-event-size", size, u}
		}},
		{"livefeed tail --json", func(u string, _ int) []string {
			return []string{o.bin, "tail", "--json", "--max-events", n, "--max-event-size", size, u}
		}},
		{"livefeed tail", func(u string, _ int) []string {
			return []string{o.bin, "tail", "--max-events", n, "--max-event-size", size, u}
		}},
		{"go-sse", func(u string, _ int) []string { return []string{o.gosse, u, n} }},
	}
	for _, bin := range o.compare {
		clients = append(clients, client{"tail --quiet " + bin, func(u string, _ int) []string {
			return []string{bin, "tail", "--quiet", "--max-events", n, "--max-event-size", size, u}
		}})
	}
	if o.big == 0 {
		clients = append(clients, client{"curl", func(u string, _ int) []string {
			return []string{o.curl, "-sSN", "-o", os.DevNull, u}
		}})
	}
	if o.clients != "" {
		want := strings.Split(o.clients, ",")
		clients = slices.DeleteFunc(clients, func(c client) bool {
			return !slices.Contains(want, c.name) && !strings.HasPrefix(c.name, "tail --quiet /")
		})
	}

	fmt.Printf("stream: %d bytes, %d events, served from 127.0.0.1; %d runs, interleaved\n", len(body), events, o.runs)
	results := make(map[string][]result)
	for r := 1; r <= o.runs; r++ {
		for _, c := range clients {
			res, err := timeProcess(c.args(url, events))
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", c.name, r, err)
			}
			results[c.name] = append(results[c.name], res)
			fmt.Printf("run %d  %-28s %8.3f s  %7.1f MB/s  cpu %6.3f s  peak RSS %6.1f MB\n",
				r, c.name, res.wall.Seconds(), float64(len(body))/1e6/res.wall.Seconds(), res.cpu.Seconds(), float64(res.rss)/1e6)
		}
	}
	report(clients, results, len(body), o.runs)
	return nil
}

type result struct {
	wall, cpu time.Duration
	rss       int64 // bytes
}

// timeProcess runs argv with stdout to /dev/null and returns its wall time
// from start to exit, its CPU time and its peak RSS.
//
// The peak RSS comes from GNU time when it is installed: Go starts children
// with vfork, and Linux then counts the parent's resident set (here, the
// whole generated stream) in the child's ru_maxrss. time forks, so its child
// starts from time's own small footprint.
func timeProcess(argv []string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const gnuTime, marker = "/usr/bin/time", "tailbench-maxrss-kb "
	_, err := os.Stat(gnuTime)
	useTime := err == nil
	if useTime {
		argv = append([]string{gnuTime, "-f", marker + "%M"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return result{}, err
	}
	defer devnull.Close()
	cmd.Stdout = devnull
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rss := ru.Maxrss * 1024
	if useTime {
		_, kb, ok := strings.Cut(stderr.String(), marker)
		n, err := strconv.ParseInt(strings.TrimSpace(kb), 10, 64)
		if !ok || err != nil {
			return result{}, fmt.Errorf("no peak RSS from %s in %q", gnuTime, stderr.String())
		}
		rss = n * 1024
	}
	return result{wall: wall, cpu: cpu, rss: rss}, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func report(clients []client, results map[string][]result, size, runs int) {
	fmt.Printf("\n%-28s %10s %10s %10s %12s  per-run wall ratio vs go-sse / vs curl (rate)\n", "client", "median s", "MB/s", "cpu s", "peak RSS MB")
	walls := func(name string) []time.Duration {
		var w []time.Duration
		for _, r := range results[name] {
			w = append(w, r.wall)
		}
		return w
	}
	for _, c := range clients {
		rs := results[c.name]
		var cpus []time.Duration
		var rss int64
		for _, r := range rs {
			cpus = append(cpus, r.cpu)
			rss = max(rss, r.rss)
		}
		m := median(walls(c.name))
		fmt.Printf("%-28s %10.3f %10.1f %10.3f %12.1f ", c.name, m.Seconds(), float64(size)/1e6/m.Seconds(), median(cpus).Seconds(), float64(rss)/1e6)
		for i := 0; i < runs; i++ {
			fmt.Print(" ", ratio(results, "go-sse", c.name, i), "/", ratio(results, "curl", c.name, i))
		}
		fmt.Println()
	}
}

// ratio is how many times faster name was than base in run i (base's wall
// time over name's), or "-" when either did not run.
func ratio(results map[string][]result, base, name string, i int) string {
	b, n := results[base], results[name]
	if i >= len(b) || i >= len(n) {
		return "-"
	}
	return fmt.Sprintf("%.2f×", b[i].wall.Seconds()/n[i].wall.Seconds())
}

// streamHandler serves body once per request as an event stream, in writes
// of size bytes, each flushed (one HTTP chunk), then ends the response.
func streamHandler(body []byte, size int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		f := w.(http.Flusher)
		for b := body; len(b) > 0; {
			n := min(size, len(b))
			if _, err := w.Write(b[:n]); err != nil {
				return
			}
			f.Flush() // as an SSE server does after each write
			b = b[n:]
		}
	})
}

// marketStream makes about size bytes of events like feed/bench_test.go's
// marketStream: id, event: quote and one line of JSON; every tenth event has
// two data lines, and a comment comes every hundred events.
func marketStream(size int) ([]byte, int) {
	symbols := []string{"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "BRK.B"}
	b := make([]byte, 0, size+256)
	i := 0
	for ; len(b) < size; i++ {
		if i%100 == 0 {
			b = append(b, ": heartbeat\n"...)
		}
		b = fmt.Appendf(b, "id: %d\nevent: quote\n", i+1)
		s := symbols[i%len(symbols)]
		if i%10 == 9 {
			b = fmt.Appendf(b, "data: {\"symbol\":\"%s\",\n", s)
			b = fmt.Appendf(b, "data: \"price\":%d.%02d,\"change\":-0.%02d}\n\n", 100+i%400, i%100, i%97)
			continue
		}
		b = fmt.Appendf(b, "data: {\"symbol\":\"%s\",\"price\":%d.%02d,\"change_pct\":0.%02d,\"volume\":%d}\n\n", s, 100+i%400, i%100, i%97, 1000+i)
	}
	return b, i
}

func build(dir, name, pkg string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the livefeed module: run from the repository or pass --bin and --gosse")
	}
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = filepath.Dir(mod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}
