package demoserver

// Benchmarks for docs/BENCHMARKS.md. Each runs against our server and, as the
// baseline, r3labs/sse's. See that file for the commands and the numbers.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDeliveries: 1,000 subscribers of one stream; each op publishes one
// quote, which reaches every subscriber. Reports deliveries/s in total.
func BenchmarkDeliveries(b *testing.B) {
	const n = 1000
	for _, tf := range benchTargets() {
		b.Run(tf.name, func(b *testing.B) {
			needFiles(b, 2*n+100)
			t := tf.start(b)
			defer t.stop()
			subs := dialSubscribers(b, t, n)
			defer subs.close()
			deadline := time.Now().Add(5 * time.Minute)

			b.ResetTimer()
			start := time.Now()
			if got := pump(t, subs, b.N, deadline); got != b.N {
				b.Fatalf("published %d of %d events within the time limit", got, b.N)
			}
			if !waitAll(subs, int64(b.N), deadline) {
				b.Fatalf("readers got %d of %d events each (at least)", subs.min(), b.N)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			if f := subs.failed.Load(); f > 0 {
				b.Fatalf("%d subscribers were disconnected", f)
			}
			b.ReportMetric(float64(int64(b.N)*n)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkDeliveriesHTTP is BenchmarkDeliveries (1,000 subscribers of one
// stream) with the events arriving the way a real publisher's do: as POST
// /publish requests over HTTP keep-alive connections, from one publisher
// waiting for each answer, or from 8 at once. Each request is read, decoded,
// validated and compacted like any other; the 202 is checked. Reports
// deliveries/s in total, as BenchmarkDeliveries does for in-process publish.
// Ours only: r3labs/sse's server has no publish endpoint to compare with.
func BenchmarkDeliveriesHTTP(b *testing.B) {
	const n = 1000
	for _, publishers := range []int{1, 8} {
		b.Run(fmt.Sprintf("publishers=%d", publishers), func(b *testing.B) {
			needFiles(b, uint64(2*n+publishers+100))
			t := startOurs(b)
			defer t.stop()
			post := httpPublisher(b, strings.TrimSuffix(t.url, "/events/stocks")+"/publish", publishers)
			subs := dialSubscribers(b, t, n)
			defer subs.close()
			deadline := time.Now().Add(5 * time.Minute)

			b.ResetTimer()
			start := time.Now()
			got, err := pumpConcurrent(subs, publishers, b.N, deadline, post)
			if err != nil {
				b.Fatal(err)
			}
			if got != b.N {
				b.Fatalf("published %d of %d events within the time limit", got, b.N)
			}
			if !waitAll(subs, int64(b.N), deadline) {
				b.Fatalf("readers got %d of %d events each (at least)", subs.min(), b.N)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			if f := subs.failed.Load(); f > 0 {
				b.Fatalf("%d subscribers were disconnected", f)
			}
			b.ReportMetric(float64(int64(b.N)*n)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkSlowSubscriber: 100 readers take 2 KiB events as fast as they can,
// first alone, then with one more subscriber that never reads. Each phase
// warms up for 5 s before 4 s are measured: a stuck client only starts to
// hurt once its socket buffers (up to 4 MiB here) are full. Reports, as the
// median over b.N pairs of phases run back to back, the readers' rate with the
// stuck one as a percentage of their rate without it: the mean reader, and the
// worst one.
func BenchmarkSlowSubscriber(b *testing.B) {
	const readers, warmup, measure = 100, 5 * time.Second, 4 * time.Second
	payload := []byte(`{"pad":"` + strings.Repeat("x", 2040) + `"}`)
	for _, tf := range benchTargets() {
		b.Run(tf.name, func(b *testing.B) {
			needFiles(b, 2*readers+100)
			var kept, worst, rates []float64
			for range b.N {
				// Back to back, so that whatever else the machine is doing
				// weighs on both phases alike.
				base := measureRates(b, tf, payload, readers, warmup, measure, false)
				stuck := measureRates(b, tf, payload, readers, warmup, measure, true)
				kept = append(kept, 100*mean(stuck)/mean(base))
				worst = append(worst, 100*minOf(stuck)/mean(base))
				rates = append(rates, mean(base))
				b.Logf("alone %.0f events/s/reader, with a stuck subscriber %.0f (worst reader %.0f)", mean(base), mean(stuck), minOf(stuck))
			}
			b.ReportMetric(median(kept), "%rate_kept")
			b.ReportMetric(median(worst), "%rate_kept_worst")
			b.ReportMetric(median(rates), "events/s/reader")
		})
	}
}

// measureRates runs one phase and returns each reader's events per second
// over the measured part.
func measureRates(b *testing.B, tf targetFactory, payload []byte, readers int, warmup, measure time.Duration, withStuck bool) []float64 {
	t := tf.start(b)
	defer t.stop()
	if withStuck {
		// Connected first, so that it is the first subscriber every event
		// goes to; it never reads a byte.
		conn, _, err := dialSubscriber(t.url)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
	}
	subs := dialSubscribers(b, t, readers)
	defer subs.close()
	start := time.Now()
	snap := make([]int64, readers)
	var snapAt time.Time
	timer := time.AfterFunc(warmup, func() {
		snapAt = time.Now()
		for i := range subs.counts {
			snap[i] = subs.counts[i].n.Load()
		}
	})
	defer timer.Stop()
	pumpPayload(t, subs, payload, 1<<31-1, start.Add(warmup+measure))
	end := time.Now()
	timer.Stop()
	if n := t.subscribers(); withStuck && n >= 0 && n != readers {
		b.Fatalf("%d subscribers at the end, want the %d readers: the stuck one was never dropped", n, readers)
	}
	elapsed := end.Sub(snapAt).Seconds()
	rates := make([]float64, readers)
	for i := range subs.counts {
		rates[i] = float64(subs.counts[i].n.Load()-snap[i]) / elapsed
	}
	return rates
}

// BenchmarkIdleSubscribers holds 10,000 subscribers, opened by a separate
// client process (this process's descriptors go to the server side), and
// reports the server's memory per subscriber: Go heap and stacks, and the
// process's resident set. Then it publishes one event and checks that all
// 10,000 receive it. Run with -benchtime=1x.
func BenchmarkIdleSubscribers(b *testing.B) {
	const n = 10_000
	for _, tf := range benchTargets() {
		b.Run(tf.name, func(b *testing.B) {
			needFiles(b, n+100)
			for range b.N {
				goPer, rssPer := measureIdle(b, tf, n)
				b.ReportMetric(goPer, "go-bytes/sub")
				b.ReportMetric(rssPer, "rss-bytes/sub")
				b.ReportMetric(n, "subscribers")
			}
		})
	}
}

func measureIdle(b *testing.B, tf targetFactory, n int) (goPer, rssPer float64) {
	t := tf.start(b)
	defer t.stop()
	goBefore, rssBefore := memNow()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LIVEFEED_LOAD_CLIENT_URL="+t.url, "LIVEFEED_LOAD_CLIENT_N="+strconv.Itoa(n))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close() // the client exits when its stdin closes
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(want string) {
		select {
		case l := <-lines:
			if l != want {
				b.Fatalf("load client: %q, want %q", l, want)
			}
		case <-time.After(2 * time.Minute):
			b.Fatalf("load client: no %q within 2 minutes", want)
		}
	}
	expect("ready")
	if got := t.subscribers(); got >= 0 && got != n {
		b.Fatalf("server has %d subscribers, want %d", got, n)
	}
	goAfter, rssAfter := memNow()
	t.publish(benchPayload)
	expect("event")
	return float64(goAfter-goBefore) / float64(n), float64(rssAfter-rssBefore) / float64(n)
}

// memNow returns the Go runtime's in-use heap and stack bytes after a full
// collection, and the process's resident set size.
func memNow() (goBytes, rss int64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	goBytes = int64(ms.HeapInuse + ms.StackInuse + ms.MSpanInuse + ms.MCacheInuse)
	status, _ := os.ReadFile("/proc/self/status")
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			rss = kb << 10
		}
	}
	return goBytes, rss
}

// needFiles makes sure this process may open n descriptors, raising the soft
// limit up to the hard one, and skips the benchmark when it cannot.
func needFiles(b *testing.B, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Skipf("cannot read the open-files limit: %v", err)
	}
	if lim.Cur >= n {
		return
	}
	if lim.Max < n {
		b.Skipf("needs %d open files; the hard limit is %d (raise it with ulimit -Hn as root)", n, lim.Max)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Skipf("needs %d open files; raising the limit failed: %v", n, err)
	}
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func minOf(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

// runLoadClient is the client process of BenchmarkIdleSubscribers (see
// TestMain): it opens n subscribers to url, prints "ready" once the server
// has answered all of them, "event" once every one of them has received an
// event, and exits when its stdin closes or after ten minutes at most.
func runLoadClient(url string, n int) int {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < uint64(n+100) {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	var got atomic.Int64
	allGot := make(chan struct{})
	var once sync.Once
	sem := make(chan struct{}, 256)
	var dials sync.WaitGroup
	var failed atomic.Value
	conns := make([]io.Closer, n)
	for i := range n {
		sem <- struct{}{}
		dials.Go(func() {
			defer func() { <-sem }()
			conn, body, err := dialSubscriber(url)
			if err != nil {
				failed.Store(err)
				return
			}
			conns[i] = conn
			go func() {
				for {
					line, err := body.ReadSlice('\n')
					if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
						return
					}
					if strings.HasPrefix(string(line), "data:") {
						if got.Add(1) == int64(n) {
							once.Do(func() { close(allGot) })
						}
						return
					}
				}
			}()
		})
	}
	dials.Wait()
	if err, _ := failed.Load().(error); err != nil {
		fmt.Fprintln(os.Stderr, "load client:", err)
		return 1
	}
	fmt.Println("ready")
	stdinClosed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(stdinClosed) }()
	limit, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	select {
	case <-allGot:
		fmt.Println("event")
	case <-stdinClosed:
	case <-limit.Done():
	}
	select {
	case <-stdinClosed:
	case <-limit.Done():
	}
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	return 0
}
