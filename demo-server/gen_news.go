package demoserver

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Headline is the data of a news "headline" event.
type Headline struct {
	ID     int    `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Time   string `json:"time"`
}

// Notification is the data of a news "notification" event.
type Notification struct {
	Level string `json:"level"` // info, success, warning or error
	Title string `json:"title"`
	Body  string `json:"body"`
	Time  string `json:"time"`
}

// The news is fiction: invented companies, places and outlets, so that no
// real organisation is the subject of a made-up story.
var (
	newsSources   = []string{"Northwind Wire", "The Daily Ledger", "Harbor Post", "Signal Tech", "Meridian News", "City Desk"}
	newsCompanies = []string{"Acme Robotics", "Northwind Energy", "Globex", "Initech", "Helios Motors", "Quantix Labs", "Bluefin Foods", "Orbital Freight", "Vantage Health", "Cobalt Mining"}
	newsCities    = []string{"Port Ellis", "Riverton", "New Halden", "Westmere", "Lake Arden", "Kingsford", "Marlow Bay", "Eastgate"}
	newsRegions   = []string{"the north coast", "the eastern valleys", "the southern plains", "the western highlands", "the capital region"}
	newsTemplates = []string{
		"{company} shares {move} {pct}% after {earnings}",
		"{company} to cut {thousands} jobs in restructuring push",
		"{company} unveils battery that charges in {minutes} minutes",
		"{company} recalls {thousands} {product} over {fault}",
		"{company} agrees {billions} takeover of {company2}",
		"Central bank holds rates at {rate}% as inflation cools",
		"Central bank raises rates to {rate}%, signals more to come",
		"Oil {move} {pct}% as supply talks stall",
		"{city} council approves {project}",
		"{city} to pilot four-day week for city workers",
		"Storm brings heavy rain and flooding to {region}",
		"Heatwave pushes power demand to a record in {region}",
		"Commuter rail strike in {city} enters day {days}",
		"Researchers in {city} report breakthrough in {field}",
		"Open-source project {project2} reaches version {major}.0",
		"{city} marathon draws record {thousands} runners",
	}
	newsMoves     = []string{"jump", "slide", "climb", "dip", "surge", "fall"}
	newsEarnings  = []string{"earnings beat", "guidance cut", "record quarterly revenue", "surprise loss", "strong holiday sales", "CEO departure"}
	newsProducts  = []string{"e-bikes", "air fryers", "car seats", "smart thermostats", "laptops"}
	newsFaults    = []string{"overheating risk", "software fault", "faulty wiring", "battery defect"}
	newsProjects  = []string{"new light-rail line", "waterfront housing plan", "bike lane network", "stadium expansion", "late-night transit pilot"}
	newsFields    = []string{"solid-state batteries", "malaria vaccines", "quantum error correction", "carbon capture", "protein folding"}
	newsSoftware  = []string{"Larkspur", "Tidewater", "Quillwork", "Ferrous", "Nimbus DB"}
	notifications = []struct{ level, title, body string }{
		{"info", "Market open", "US equities session is open; 12 symbols streaming."},
		{"info", "Scheduled maintenance", "Data feed maintenance window Sunday 02:00–03:00 UTC."},
		{"success", "Backfill complete", "Recovered {n} missed events from history."},
		{"success", "Deploy finished", "api-gateway v{major}.{minor}.{patch} is live in all regions."},
		{"warning", "High volatility", "{symbol} moved {pct}% in the last minute."},
		{"warning", "Slow consumer", "A subscriber fell {n} events behind and was asked to resume."},
		{"error", "Feed delayed", "Sports data provider is {n}s behind; scores may lag."},
		{"error", "Quote gap", "No {symbol} quotes for 30 s; upstream exchange link is down."},
	}
)

// News simulates a newsroom: mostly headlines, now and then a notification.
type News struct {
	rng    *rand.Rand
	nextID int
}

// NewNews returns the news generator for seed.
func NewNews(seed int64) *News {
	return &News{rng: newRand(seed, 0x4e), nextID: 1}
}

// Topic implements Generator.
func (g *News) Topic() string { return TopicNews }

// Next returns a headline, or about one time in four a notification; the
// first two are always headlines, so a new dashboard's ticker fills at once.
func (g *News) Next(now time.Time) []Message {
	if g.rng.IntN(4) == 0 && g.nextID > 2 {
		n := notifications[g.rng.IntN(len(notifications))]
		return []Message{{Event: "notification", Data: Notification{
			Level: n.level, Title: n.title, Body: g.fill(n.body), Time: timestamp(now),
		}}}
	}
	h := Headline{
		ID:     g.nextID,
		Title:  g.fill(newsTemplates[g.rng.IntN(len(newsTemplates))]),
		Source: newsSources[g.rng.IntN(len(newsSources))],
		Time:   timestamp(now),
	}
	g.nextID++
	return []Message{{Event: "headline", Data: h}}
}

// fill replaces every {slot} of a template with a random choice.
func (g *News) fill(tmpl string) string {
	pick := func(list []string) string { return list[g.rng.IntN(len(list))] }
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			break
		}
		end := strings.IndexByte(tmpl[open:], '}') + open
		b.WriteString(tmpl[:open])
		slot := tmpl[open+1 : end]
		tmpl = tmpl[end+1:]
		switch slot {
		case "company", "company2":
			b.WriteString(pick(newsCompanies))
		case "city":
			b.WriteString(pick(newsCities))
		case "region":
			b.WriteString(pick(newsRegions))
		case "move":
			b.WriteString(pick(newsMoves))
		case "earnings":
			b.WriteString(pick(newsEarnings))
		case "product":
			b.WriteString(pick(newsProducts))
		case "fault":
			b.WriteString(pick(newsFaults))
		case "project":
			b.WriteString(pick(newsProjects))
		case "project2":
			b.WriteString(pick(newsSoftware))
		case "field":
			b.WriteString(pick(newsFields))
		case "symbol":
			b.WriteString(pick([]string{"NVDA", "TSLA", "AMD", "META", "NFLX"}))
		case "pct":
			fmt.Fprintf(&b, "%.1f", 0.5+9.5*g.rng.Float64())
		case "rate":
			fmt.Fprintf(&b, "%.2f", 2+float64(g.rng.IntN(13))*0.25)
		case "thousands":
			fmt.Fprintf(&b, "%d,%03d", 1+g.rng.IntN(40), 100*g.rng.IntN(10))
		case "billions":
			fmt.Fprintf(&b, "$%.1fbn", 0.5+g.rng.Float64()*30)
		case "minutes":
			fmt.Fprint(&b, 5+g.rng.IntN(11))
		case "days":
			fmt.Fprint(&b, 2+g.rng.IntN(6))
		case "major":
			fmt.Fprint(&b, 2+g.rng.IntN(8))
		case "minor", "patch":
			fmt.Fprint(&b, g.rng.IntN(20))
		case "n":
			fmt.Fprint(&b, 3+g.rng.IntN(240))
		}
	}
	return b.String()
}
