package ui

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/livefeed/livefeed/capture"
	"github.com/livefeed/livefeed/config"
	"github.com/livefeed/livefeed/render"
)

// exportedMsg reports an export of pane id: the file written and how many
// items or rows it holds, or why it failed.
type exportedMsg struct {
	id   string
	path string
	n    int
	noun string
	err  error
}

// paneExport is a pane's content copied in Update (panes change in place,
// so the command that writes the file must not read them): capture lines
// for most panes, CSV records for a table.
type paneExport struct {
	ndjson []byte
	csv    [][]string
	n      int
	noun   string
}

// exportPane snapshots the focused pane and returns the command that
// writes it to a file named after the pane and the time, in dir.
func (m *Model) exportPane(s *paneSlot) tea.Cmd {
	ex := snapshotPane(s.p, m.now)
	if ex.n == 0 {
		m.flash(paneTitleText(s.cfg) + " is empty: nothing to export")
		return nil
	}
	id, dir, now := s.id, m.exportDir, m.now
	return func() tea.Msg {
		path, err := writeExport(dir, exportName(id, now), ex)
		return exportedMsg{id: id, path: path, n: ex.n, noun: ex.noun, err: err}
	}
}

func (m *Model) onExported(msg exportedMsg) {
	if msg.err != nil {
		m.log.Error("export failed", "pane", msg.id, "err", msg.err.Error())
		m.setBanner("export of " + msg.id + " failed: " + msg.err.Error())
		return
	}
	m.log.Info("exported", "pane", msg.id, "file", msg.path, msg.noun, msg.n)
	m.setBanner(fmt.Sprintf("exported %s of %s to %s", countLabel(msg.n, strings.TrimSuffix(msg.noun, "s"), msg.noun), msg.id, msg.path))
}

// snapshotPane copies what a pane shows in export form: a table's rows as
// CSV, anything else's items as capture lines, oldest first; a pane with a
// filter exports what the filter lets through.
func snapshotPane(p pane, now time.Time) paneExport {
	var items []Item
	switch p := p.(type) {
	case *tablePane:
		recs := p.csvRecords(now)
		return paneExport{csv: recs, n: len(recs) - 1, noun: "rows"}
	case *logPane:
		v := p.visible()
		for i := range v.Len() {
			items = append(items, v.At(i).it)
		}
	case *listPane:
		idx, n := p.visible() // newest first
		for i := n - 1; i >= 0; i-- {
			items = append(items, p.items.Ptr(p.items.Len()-1-at(idx, i)).it)
		}
	case *tickerPane:
		if p.filter.empty() {
			for i := range p.queue.Len() {
				items = append(items, p.queue.Ptr(i).it)
			}
		} else {
			m := p.matching() // newest first
			for i := len(m) - 1; i >= 0; i-- {
				items = append(items, m[i].it)
			}
		}
	default:
		return paneExport{}
	}
	var b []byte
	for i := range items {
		b = capture.AppendEvent(b, items[i].Feed, items[i].Time, &items[i].Event)
	}
	return paneExport{ndjson: b, n: len(items), noun: "events"}
}

// csvRecords is the table as CSV records: the columns as shown (sparklines
// drawn, relative times as of now), then each value column's raw value, then
// the row's key and its latest event's feed, type, id and time.
func (t *tablePane) csvRecords(now time.Time) [][]string {
	order := t.visible()
	head := make([]string, 0, 2*len(t.cols)+5)
	for _, c := range t.cols {
		head = append(head, render.Sanitize(c.Title))
	}
	for _, c := range t.cols {
		if hasRaw(c) {
			head = append(head, render.Sanitize(c.Title)+" (raw)")
		}
	}
	head = append(head, "key", "feed", "type", "id", "time")
	recs := [][]string{head}
	for _, r := range order {
		rec := make([]string, 0, len(head))
		data := []byte(r.item.Event.Data)
		for i, col := range t.cols {
			c := r.cells[i]
			text := c.text
			switch {
			case col.Spark > 0 && col.SparkRange != nil:
				text = render.SparkIn(c.spark, col.Spark, col.SparkRange[0], col.SparkRange[1])
			case col.Spark > 0:
				text = render.Spark(c.spark, col.Spark)
			case t.rel[i]:
				text, _ = columnCell(col, data, itemMeta(r.item), render.Context{Now: now, Loc: r.item.Time.Location()})
				text = render.Sanitize(text)
			}
			rec = append(rec, csvSafe(text))
		}
		for _, col := range t.cols {
			if hasRaw(col) {
				v := columnValue(col, data, itemMeta(r.item))
				raw := ""
				if v.Exists() {
					raw = v.String()
				}
				rec = append(rec, csvSafe(raw))
			}
		}
		rec = append(rec, csvSafe(r.key), csvSafe(r.item.Feed), csvSafe(r.item.Event.Type), csvSafe(r.item.Event.ID),
			r.item.Time.Format(time.RFC3339Nano))
		recs = append(recs, rec)
	}
	return recs
}

// hasRaw says whether a column shows a value (a path or an expression)
// rather than a template's text, so that the CSV can give it raw too.
func hasRaw(c *config.Column) bool { return c.Path != "" || c.Expr != nil }

// csvSafe keeps feed data from running as a spreadsheet formula: a cell
// that starts like one (=, +, -, @, tab, CR) gets a leading apostrophe,
// unless it is a number as the table shows numbers (-0.41, +0.27%, -1.2M).
func csvSafe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	num := strings.TrimRight(s, "%KMBTkmbt")
	if _, err := strconv.ParseFloat(num, 64); err == nil && len(s)-len(num) <= 1 {
		return s
	}
	return "'" + s
}

// exportName is the file name for pane id exported at t: the id made safe
// for file systems, and the local time to the second.
func exportName(id string, t time.Time) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
	safe = strings.TrimLeft(safe, ".")
	if safe == "" {
		safe = "pane"
	}
	return safe + "-" + t.Format("20060102-150405")
}

// maxExportTries bounds the search for a free name when several exports
// of one pane happen within a second.
const maxExportTries = 100

// writeExport writes ex to dir/name.ndjson (or .csv), never over an
// existing file: a second export within the same second gets "-2", and so
// on. It returns the path written.
func writeExport(dir, name string, ex paneExport) (string, error) {
	ext := ".ndjson"
	if ex.csv != nil {
		ext = ".csv"
	}
	for i := 1; i <= maxExportTries; i++ {
		path := filepath.Join(dir, name+ext)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", name, i, ext))
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		err = writeExportTo(f, ex)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s%s and %d more names are taken", filepath.Join(dir, name), ext, maxExportTries-1)
}

func writeExportTo(w io.Writer, ex paneExport) error {
	if ex.csv == nil {
		_, err := w.Write(ex.ndjson)
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(ex.csv); err != nil {
		return err
	}
	return cw.Error()
}
