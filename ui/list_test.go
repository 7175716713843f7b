package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/livefeed/livefeed/config"
)

func listNote(seq uint64, title, level string, when time.Time) Item {
	return paneItem(seq, "news", "notification", fmt.Sprint(seq),
		fmt.Sprintf(`{"title":%q,"body":"details %d","level":%q}`, title, seq, level), when)
}

func listOf(p pane) *listPane { return p.(*listPane) }

func listTexts(p pane) string {
	s := listOf(p)
	var out []string
	for i := range s.items.Len() {
		out = append(out, s.entry(i).text)
	}
	return strings.Join(out, " | ")
}

func TestListNewestFirstBoundAndLevels(t *testing.T) {
	p := paneTestPane(t, "alerts") // max 5
	for i := range 7 {
		p.Add([]Item{listNote(uint64(i+1), fmt.Sprintf("n%d", i+1), []string{"info", "warning", "error", "debug"}[i%4], paneAt(time.Duration(i)*time.Second))})
	}
	if p.Len() != 5 || p.Dropped() != 2 {
		t.Fatalf("Len %d, Dropped %d; want 5, 2", p.Len(), p.Dropped())
	}
	want := "n7: details 7 | n6: details 6 | n5: details 5 | n4: details 4 | n3: details 3"
	if got := listTexts(p); got != want {
		t.Errorf("order:\n%s\nwant\n%s", got, want)
	}
	roles := []config.Role{config.RoleError, config.RoleWarning, config.RoleInfo, config.RoleMuted, config.RoleError}
	for i, r := range roles {
		if got := listOf(p).entry(i).role; got != r {
			t.Errorf("entry %d: role %s, want %s", i, got, r)
		}
	}
	p.Clear()
	if p.Len() != 0 || p.Dropped() != 0 || listOf(p).unread != 0 {
		t.Error("Clear left items or counts")
	}
}

func TestListUnread(t *testing.T) {
	add := func(p pane, n int) pane {
		for range n {
			p.Add([]Item{listNote(1, "x", "info", paneAt(0))})
		}
		return p
	}
	steps := []struct {
		do   func(pane) pane
		want int
	}{
		{func(p pane) pane { return add(p, 3) }, 3},
		{func(p pane) pane { p.Update(focusMsg{focused: true}); return p }, 0},
		{func(p pane) pane { return add(p, 2) }, 0},
		{func(p pane) pane { p.Update(focusMsg{focused: false}); return p }, 0},
		{func(p pane) pane { return add(p, 1) }, 1},
		{func(p pane) pane { return add(p, 9) }, 5}, // never more than the list holds
		{func(p pane) pane { p.Update(panePress("down")); return p }, 0},
		{func(p pane) pane { return add(p, 2) }, 2}, // focused but scrolled away from the newest
		{func(p pane) pane { p.Update(panePress("home")); return p }, 0},
		{func(p pane) pane { return add(p, 3) }, 0}, // focused at the newest: seen as they come
		{func(p pane) pane { p.Update(focusMsg{focused: false}); return add(p, 2) }, 2},
		{func(p pane) pane { p.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown}); return p }, 0},
		{func(p pane) pane { return add(p, 1) }, 1}, // the wheel does not move the focus
	}
	p := paneTestPane(t, "alerts")
	for i, st := range steps {
		p = st.do(p)
		if got := listOf(p).unread; got != st.want {
			t.Errorf("step %d: unread %d, want %d", i, got, st.want)
		}
	}
	p = add(p, 1)
	if v := ansi.Strip(p.Render(viewState{Width: 60, Height: 5, Now: paneAt(0)})); !strings.Contains(v, "2 unread") {
		t.Errorf("unfocused view has no badge:\n%s", v)
	}
	if v := ansi.Strip(p.Render(viewState{Width: 60, Height: 5, Focused: true, Now: paneAt(0)})); !strings.Contains(v, "2 unread") {
		t.Errorf("focused but scrolled away: the badge stays:\n%s", v)
	}
	p.Update(focusMsg{focused: true})
	p.Update(panePress("home"))
	if v := ansi.Strip(p.Render(viewState{Width: 60, Height: 5, Focused: true, Now: paneAt(0)})); strings.Contains(v, "unread") || strings.Contains(v, "●") {
		t.Errorf("focused view shows the badge:\n%s", v)
	}
}

func TestListUnreadOff(t *testing.T) {
	cfg, st, km := paneTestSetup(t)
	pc := *cfg.Pane("alerts")
	pc.NoUnread = true
	p := newPane(&pc, st, km)
	p.Add([]Item{listNote(1, "x", "info", paneAt(0)), listNote(2, "y", "info", paneAt(0))})
	if v := ansi.Strip(p.Render(viewState{Width: 60, Height: 5, Now: paneAt(0)})); strings.Contains(v, "unread") || strings.Contains(v, "●") {
		t.Errorf("unread: false still counts:\n%s", v)
	}
}

func TestListSelectionStaysOnItsItem(t *testing.T) {
	p := paneWithMax(t, "alerts", 100)
	for i := range 10 {
		p.Add([]Item{listNote(uint64(i+1), fmt.Sprint(i+1), "info", paneAt(0))})
	}
	p.Render(viewState{Width: 40, Height: 6, Focused: true, Now: paneAt(0)}) // a page of 4
	steps := []struct {
		key  string
		want uint64
	}{
		{"", 10}, {"down", 9}, {"j", 8}, {"pgdown", 4}, {"end", 1}, {"pgup", 5}, {"up", 6}, {"home", 10}, {"up", 10},
	}
	for _, st := range steps {
		if st.key != "" {
			p.Update(panePress(st.key))
		}
		if it, _ := p.Selected(); it.Seq != st.want {
			t.Errorf("after %q: selected %d, want %d", st.key, it.Seq, st.want)
		}
	}
	// At the top the selection follows the newest item …
	p.Add([]Item{listNote(11, "11", "info", paneAt(0))})
	if it, _ := p.Selected(); it.Seq != 11 {
		t.Errorf("at the top: selected %d, want the newest", it.Seq)
	}
	// … elsewhere it stays on its item.
	p.Update(panePress("down"))
	p.Update(panePress("down"))
	p.Add([]Item{listNote(12, "12", "info", paneAt(0)), listNote(13, "13", "info", paneAt(0))})
	if it, _ := p.Selected(); it.Seq != 9 {
		t.Errorf("scrolled: selected %d, want 9", it.Seq)
	}
}

func TestListGoldens(t *testing.T) {
	items := []Item{
		listNote(1, "Deploy finished", "success", paneAt(0)),
		listNote(2, "Disk almost full", "warning", paneAt(40*time.Second)),
		listNote(3, "Payment failed", "error", paneAt(100*time.Second)),
		paneItem(4, "news", "notification", "4", `{"title":"Maintenance tonight","body":"from 22:00 to 23:00 UTC, expect short outages"}`, paneAt(115*time.Second)),
	}
	now := paneAt(2 * time.Minute)
	focused := withItems(paneTestPane(t, "alerts"), items)
	focused.Update(focusMsg{focused: true})
	focused.Update(panePress("down"))
	dropped := withItems(paneTestPane(t, "alerts"), items, []Item{
		listNote(5, "Five", "info", now), listNote(6, "Six", "info", now), listNote(7, "Seven", "info", now),
	})
	unread := withItems(paneTestPane(t, "alerts"), items[:2])
	unread.Update(focusMsg{focused: true})
	unread.Update(focusMsg{focused: false})
	unread.Add(items[2:])
	tests := []struct {
		name string
		p    pane
		vs   viewState
	}{
		{"list_empty", paneTestPane(t, "alerts"), viewState{Width: 50, Height: 4, Now: now}},
		{"list_unread", unread, viewState{Width: 56, Height: 6, Now: now}},
		{"list_focused", focused, viewState{Width: 56, Height: 6, Focused: true, Now: now}},
		{"list_dimmed_note", withItems(paneTestPane(t, "alerts"), items), viewState{Width: 56, Height: 6, Dimmed: true, Note: "stale 3m", Now: now}},
		{"list_dropped_note", dropped, viewState{Width: 64, Height: 7, Note: "paused · 3 new", Now: now}},
		{"list_narrow", withItems(paneTestPane(t, "alerts"), items), viewState{Width: 20, Height: 5, Now: now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viewGolden(t, tt.p.Render(tt.vs))
		})
	}
}

// A list renders an entry's text only when it is drawn (or selected).
func TestListRendersOnlyWhatIsDrawn(t *testing.T) {
	p := paneWithMax(t, "alerts", 50)
	for i := range 200 {
		p.Add([]Item{paneItem(uint64(i+1), "news", "alert", "", `{"level":"warn","title":"t"}`, paneAt(0))})
	}
	p.Render(viewState{Width: 60, Height: 5, Now: paneAt(0)})
	s := listOf(p)
	ready := 0
	for i := range s.items.Len() {
		if s.items.At(i).ready {
			ready++
		}
	}
	if ready != 3 {
		t.Errorf("%d entries rendered, want the 3 drawn", ready)
	}
	if e := s.entry(0); e.role != config.RoleWarning || e.text == "" {
		t.Errorf("newest entry %+v", e)
	}
}
