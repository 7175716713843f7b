package demoserver

import (
	"math/rand/v2"
	"time"
)

// Score is the data of a sports "score" event: a match's state after a step.
type Score struct {
	MatchID   int    `json:"match_id"`
	League    string `json:"league"`
	Home      string `json:"home"`
	Away      string `json:"away"`
	HomeScore int    `json:"home_score"`
	AwayScore int    `json:"away_score"`
	Minute    int    `json:"minute"`
	Status    string `json:"status"` // 1H, HT, 2H or FT
}

// Goal is the data of a sports "goal" event, sent just before the score it changes.
type Goal struct {
	MatchID int    `json:"match_id"`
	Team    string `json:"team"`
	Player  string `json:"player"`
	Minute  int    `json:"minute"`
}

// Match statuses.
const (
	FirstHalf  = "1H"
	HalfTime   = "HT"
	SecondHalf = "2H"
	FullTime   = "FT"
)

var leagues = []struct {
	name  string
	teams []string
}{
	{"Premier League", []string{"Arsenal", "Aston Villa", "Brighton", "Chelsea", "Liverpool", "Manchester City", "Manchester United", "Newcastle United", "Tottenham Hotspur", "West Ham United"}},
	{"La Liga", []string{"Athletic Club", "Atlético Madrid", "Barcelona", "Real Betis", "Real Madrid", "Real Sociedad", "Sevilla", "Valencia", "Villarreal"}},
	{"Serie A", []string{"Atalanta", "Fiorentina", "Inter", "Juventus", "Lazio", "Milan", "Napoli", "Roma"}},
	{"Bundesliga", []string{"Bayer Leverkusen", "Bayern Munich", "Borussia Dortmund", "Eintracht Frankfurt", "Freiburg", "RB Leipzig", "VfB Stuttgart", "Wolfsburg"}},
}

// Scorers are invented: real clubs, but no real player is credited with a goal.
var (
	firstNames = []string{"Luca", "Jonas", "Diego", "Mateo", "Kai", "Rafael", "Theo", "Nico", "Emil", "Marco", "Adrien", "Samuel", "Yusuf", "Leon", "Tomás", "Oliver", "Ibrahim", "Hugo", "Sander", "Andrés"}
	lastNames  = []string{"Moretti", "Berger", "Álvarez", "Lindqvist", "Okafor", "Duarte", "Keller", "Rossi", "Navarro", "Hartmann", "Laurent", "Costa", "Brennan", "Vidal", "Novak", "Fischer", "Mendes", "Aydın", "Kowalski", "Silva"}
)

// liveMatches is how many matches run at once.
const liveMatches = 4

type match struct {
	Score
	stoppage int      // minutes added to the second half
	pause    int      // steps left at half time or showing full time
	scorers  []string // home scorers, then away scorers
}

// Sports simulates several matches with running clocks; finished matches are
// replaced by new ones.
type Sports struct {
	rng     *rand.Rand
	matches []*match
	turn    int
	nextID  int
}

// NewSports returns the sports generator for seed. Matches start mid-game so
// the demo shows real scores from the first event.
func NewSports(seed int64) *Sports {
	g := &Sports{rng: newRand(seed, 0x5b), nextID: 1001}
	for range liveMatches {
		m := g.newMatch()
		for target := g.rng.IntN(80); m.Minute < target && m.Status != FullTime; {
			g.advance(m, nil)
		}
		g.matches = append(g.matches, m)
	}
	return g
}

// Topic implements Generator.
func (g *Sports) Topic() string { return TopicSports }

func (g *Sports) newMatch() *match {
	lg := leagues[g.rng.IntN(len(leagues))]
	busy := map[string]bool{}
	for _, m := range g.matches {
		if m.Status != FullTime {
			busy[m.Home], busy[m.Away] = true, true
		}
	}
	var free []string
	for _, t := range lg.teams {
		if !busy[t] {
			free = append(free, t)
		}
	}
	g.rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	m := &match{Score: Score{MatchID: g.nextID, League: lg.name, Home: free[0], Away: free[1], Status: FirstHalf}}
	g.nextID++
	m.stoppage = g.rng.IntN(6)
	for range 8 {
		m.scorers = append(m.scorers, firstNames[g.rng.IntN(len(firstNames))]+" "+lastNames[g.rng.IntN(len(lastNames))])
	}
	return m
}

// Next advances one match (in turn) and returns its goals and new score.
func (g *Sports) Next(now time.Time) []Message {
	i := g.turn % len(g.matches)
	g.turn++
	m := g.matches[i]
	if m.Status == FullTime && m.pause == 0 {
		m = g.newMatch()
		g.matches[i] = m
		return []Message{{Event: "score", Data: m.Score}}
	}
	var out []Message
	g.advance(m, &out)
	return append(out, Message{Event: "score", Data: m.Score})
}

// advance moves a match's clock by one to three minutes, scoring goals at
// about the rate of real football (some 2.7 a game, home side slightly ahead).
func (g *Sports) advance(m *match, out *[]Message) {
	switch m.Status {
	case HalfTime:
		if m.pause > 0 {
			m.pause--
			return
		}
		m.Status, m.Minute = SecondHalf, 46
		return
	case FullTime:
		if m.pause > 0 {
			m.pause--
		}
		return
	}
	for range 1 + g.rng.IntN(3) {
		m.Minute++
		for side, p := range [2]float64{0.0165, 0.0135} {
			if g.rng.Float64() >= p {
				continue
			}
			team, player := m.Home, m.scorers[g.rng.IntN(4)]
			if side == 0 {
				m.HomeScore++
			} else {
				team, player = m.Away, m.scorers[4+g.rng.IntN(4)]
				m.AwayScore++
			}
			if out != nil {
				*out = append(*out, Message{Event: "goal", Data: Goal{MatchID: m.MatchID, Team: team, Player: player, Minute: m.Minute}})
			}
		}
		switch {
		case m.Status == FirstHalf && m.Minute >= 45:
			m.Status, m.pause = HalfTime, 2
			return
		case m.Status == SecondHalf && m.Minute >= 90+m.stoppage:
			m.Status, m.pause = FullTime, 1
			return
		}
	}
}
