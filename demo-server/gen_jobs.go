package demoserver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// JobProgress is the data of a jobs "progress" event: where one running job
// stands.
type JobProgress struct {
	JobID   string  `json:"job_id"`
	Name    string  `json:"name"`
	Percent float64 `json:"percent"` // 0 to 100, one decimal
	Done    int64   `json:"done"`    // units of work done, of total
	Total   int64   `json:"total"`
	Stage   string  `json:"stage"`
	EtaS    float64 `json:"eta_s"` // seconds left at the pace so far
}

// JobComplete is the data of a jobs "complete" event: the job finished.
type JobComplete struct {
	JobID     string  `json:"job_id"`
	Name      string  `json:"name"`
	DurationS float64 `json:"duration_s"`
	Result    string  `json:"result"`
}

// JobFailed is the data of a jobs "failed" event: the job stopped with an
// error and will send nothing more.
type JobFailed struct {
	JobID string `json:"job_id"`
	Name  string `json:"name"`
	Error string `json:"error"`
}

// jobKind is one sort of simulated job: what it works on, in what unit, its
// stages in order, how it can fail and what it produces.
type jobKind struct {
	verb     string
	targets  []string
	minTotal int64
	maxTotal int64
	stages   []string
	errors   []string
	result   func(target string, total int64, rng *rand.Rand) string
}

var jobKinds = []jobKind{
	{
		verb: "export", targets: []string{"orders", "customers", "invoices", "audit-log"},
		minTotal: 40_000, maxTotal: 400_000, // rows
		stages: []string{"querying", "writing rows", "compressing", "uploading"},
		errors: []string{"connection to db-replica-2:5432 reset by peer", "query cancelled: statement timeout (300 s)", "upload to s3://exports: 403 AccessDenied"},
		result: func(target string, total int64, rng *rand.Rand) string {
			return fmt.Sprintf("%s.csv.gz: %d rows, %.1f MB", target, total, float64(total)*(0.08+0.04*rng.Float64())/1000)
		},
	},
	{
		verb: "build", targets: []string{"api-gateway", "web-frontend", "billing-worker", "search-indexer"},
		minTotal: 180, maxTotal: 900, // build actions
		stages: []string{"fetching dependencies", "compiling", "running tests", "packaging", "pushing image"},
		errors: []string{"test TestCheckoutFlow failed: got status 502, want 200", "compile error: undefined: ledger.Entry (billing/post.go:88)", "image push: registry answered 503"},
		result: func(target string, total int64, rng *rand.Rand) string {
			return fmt.Sprintf("%s:v%d.%d.%d pushed (%d actions)", target, 1+rng.IntN(4), rng.IntN(30), rng.IntN(12), total)
		},
	},
	{
		verb: "backup", targets: []string{"db-primary", "uploads-bucket", "redis-cache", "ledger-db"},
		minTotal: 2_000, maxTotal: 40_000, // MB
		stages: []string{"snapshotting", "copying", "verifying checksums"},
		errors: []string{"disk quota exceeded on /mnt/backup", "checksum mismatch in chunk 1187", "snapshot lock held by another backup"},
		result: func(_ string, total int64, _ *rand.Rand) string {
			return fmt.Sprintf("%.1f GiB in %d chunks, checksums verified", float64(total)/1024, (total+63)/64)
		},
	},
	{
		verb: "reindex", targets: []string{"products", "help-articles", "tickets"},
		minTotal: 100_000, maxTotal: 2_000_000, // documents
		stages: []string{"scanning", "indexing", "swapping alias"},
		errors: []string{"search cluster is read-only (disk watermark exceeded)", "mapping conflict on field \"price\""},
		result: func(_ string, total int64, _ *rand.Rand) string {
			return fmt.Sprintf("%d documents indexed", total)
		},
	},
	{
		verb: "report", targets: []string{"monthly revenue", "weekly usage", "churn by region"},
		minTotal: 20, maxTotal: 200, // pages
		stages: []string{"aggregating", "rendering", "emailing"},
		errors: []string{"SMTP relay refused the message: 552 size limit exceeded"},
		result: func(_ string, total int64, _ *rand.Rand) string {
			return fmt.Sprintf("%d-page PDF sent to finance@example.com", total)
		},
	},
}

// job is one simulated job in flight.
type job struct {
	id      string
	name    string
	target  string
	kind    *jobKind
	total   int64
	done    int64
	perStep float64 // average work per step
	failAt  int64   // fails once done reaches this; 0 if it succeeds
	started time.Time
	steps   int
}

// Jobs simulates a job runner: a few jobs (exports, builds, backups,
// reindexes, reports) run at once, each reporting its progress every step;
// about one in five fails part way; when one ends, another starts.
type Jobs struct {
	rng     *rand.Rand
	running []*job
	nextID  int
	want    int // how many should run now: 2 to 4
	started bool
}

// NewJobs returns the jobs generator for seed.
func NewJobs(seed int64) *Jobs {
	return &Jobs{rng: newRand(seed, 0x10b5), nextID: 1, want: 3}
}

// Topic implements Generator.
func (g *Jobs) Topic() string { return TopicJobs }

// stepGuess is the pace assumed for an ETA before any time has passed (a
// catch-up burst runs several steps at the same instant): AutoRate's.
const stepGuess = 250 * time.Millisecond

// Next advances every running job by one step and returns a progress event
// for each, followed by complete or failed for those that ended; then it may
// start a new job. The very first step starts three jobs already part way
// through, so a new dashboard shows bars at once.
func (g *Jobs) Next(now time.Time) []Message {
	if !g.started {
		g.started = true
		for range g.want {
			j := g.start(now)
			// As if it had been running for a while at its own pace.
			ahead := int(float64(j.total) / j.perStep * 0.6 * g.rng.Float64())
			j.done = min(int64(float64(ahead)*j.perStep), j.total-1)
			if j.failAt != 0 { // not in its very first steps: let it be seen running
				j.failAt = max(j.failAt, j.done+(j.total-j.done)/2)
				if j.failAt <= j.done || j.failAt >= j.total {
					j.failAt = 0
				}
			}
			j.steps = ahead
			j.started = now.Add(-time.Duration(ahead) * stepGuess)
		}
	}
	var out []Message
	kept := g.running[:0]
	for _, j := range g.running {
		j.steps++
		if g.rng.IntN(12) != 0 { // now and then a step makes no progress
			j.done = min(j.total, j.done+max(1, int64(j.perStep*(0.4+1.2*g.rng.Float64()))))
		}
		if j.failAt != 0 && j.done >= j.failAt {
			j.done = j.failAt
			out = append(out, g.progress(j, now), Message{Event: "failed", Data: JobFailed{
				JobID: j.id, Name: j.name, Error: j.kind.errors[g.rng.IntN(len(j.kind.errors))],
			}})
			continue
		}
		out = append(out, g.progress(j, now))
		if j.done == j.total {
			out = append(out, Message{Event: "complete", Data: JobComplete{
				JobID: j.id, Name: j.name, DurationS: math.Round(now.Sub(j.started).Seconds()*10) / 10,
				Result: j.kind.result(j.target, j.total, g.rng),
			}})
			continue
		}
		kept = append(kept, j)
	}
	clear(g.running[len(kept):])
	g.running = kept
	if g.rng.IntN(20) == 0 {
		g.want = 2 + g.rng.IntN(3)
	}
	// One new job per step at most, and not always at once (a queue, not a
	// wall), but never none: an empty jobs pane looks broken.
	if len(g.running) == 0 || (len(g.running) < g.want && g.rng.IntN(3) == 0) {
		j := g.start(now)
		out = append(out, g.progress(j, now))
	}
	return out
}

// start creates a job that will take 20 to 80 steps (5 to 20 s at AutoRate).
func (g *Jobs) start(now time.Time) *job {
	k := &jobKinds[g.rng.IntN(len(jobKinds))]
	target := k.targets[g.rng.IntN(len(k.targets))]
	j := &job{
		id:      fmt.Sprintf("job-%d", g.nextID),
		name:    k.verb + " " + target,
		target:  target,
		kind:    k,
		total:   k.minTotal + g.rng.Int64N(k.maxTotal-k.minTotal+1),
		started: now,
	}
	g.nextID++
	j.perStep = float64(j.total) / float64(20+g.rng.IntN(61))
	if g.rng.IntN(5) == 0 {
		j.failAt = max(1, int64(float64(j.total)*(0.15+0.7*g.rng.Float64())))
	}
	g.running = append(g.running, j)
	return j
}

func (g *Jobs) progress(j *job, now time.Time) Message {
	frac := float64(j.done) / float64(j.total)
	stage := j.kind.stages[min(len(j.kind.stages)-1, int(frac*float64(len(j.kind.stages))))]
	// The ETA is the work left at the pace so far; before any work or time
	// has passed, the job's planned pace at AutoRate's step.
	var eta float64
	elapsed := now.Sub(j.started).Seconds()
	switch {
	case j.done == j.total:
	case j.done > 0 && elapsed > 0:
		eta = float64(j.total-j.done) * elapsed / float64(j.done)
	default:
		eta = float64(j.total-j.done) / j.perStep * stepGuess.Seconds()
	}
	return Message{Event: "progress", Data: JobProgress{
		JobID:   j.id,
		Name:    j.name,
		Percent: math.Floor(1000*frac) / 10, // never 100 before it is done
		Done:    j.done,
		Total:   j.total,
		Stage:   stage,
		EtaS:    math.Round(eta*10) / 10,
	}}
}
