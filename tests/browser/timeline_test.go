package browser

import (
	"math"
	"testing"
)

// historyPages are the history page in each site language.
var historyPages = []string{"/nl/over-ons/geschiedenis/", "/en/about/history/", "/fr/a-propos/histoire/"}

// timelineJS measures, for each .timeline-event, the horizontal centre of
// its dot (::before, absolutely placed against the event's padding box)
// and of the line it should sit on (the .timeline's border-inline-start).
const timelineJS = `(() => {
  const out = [];
  for (const tl of document.querySelectorAll("main#main .timeline")) {
    const ts = getComputedStyle(tl), tr = tl.getBoundingClientRect();
    const rtl = ts.direction === "rtl";
    const lineWidth = parseFloat(rtl ? ts.borderRightWidth : ts.borderLeftWidth);
    const line = rtl ? tr.right - lineWidth / 2 : tr.left + lineWidth / 2;
    for (const ev of tl.querySelectorAll(".timeline-event")) {
      const es = getComputedStyle(ev), er = ev.getBoundingClientRect();
      const d = getComputedStyle(ev, "::before");
      const px = (v) => parseFloat(v) || 0;
      let width = px(d.width);
      if (d.boxSizing !== "border-box") width += px(d.borderLeftWidth) + px(d.borderRightWidth) + px(d.paddingLeft) + px(d.paddingRight);
      let dot;
      if (rtl) {
        dot = er.right - px(es.borderRightWidth) - px(d.right) - px(d.marginRight) - width / 2;
      } else {
        dot = er.left + px(es.borderLeftWidth) + px(d.left) + px(d.marginLeft) + width / 2;
      }
      out.push({Event: (ev.querySelector(".timeline-year, h2, h3") || ev).textContent.trim().slice(0, 40),
        Content: d.content, Position: d.position, Display: d.display, Width: width, LineWidth: lineWidth, Line: line, Dot: dot});
    }
  }
  return out;
})()`

// testTimeline checks on the history page, on a phone and a desktop, that
// the dot of every event of the timeline sits on the timeline's line:
// their horizontal centres within 1.5 px.
func (s *suite) testTimeline(t *testing.T) {
	for _, page := range historyPages {
		for _, v := range []view{phone390, desktop} {
			t.Run(page+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				tb := s.openTab(t, v)
				tb.open(page)
				events := eval[[]struct {
					Event, Content, Position, Display string
					Width, LineWidth, Line, Dot       float64
				}](tb, timelineJS)
				if len(events) == 0 {
					t.Fatalf("%s: no .timeline-event inside a .timeline in main", page)
				}
				for _, e := range events {
					switch {
					case e.LineWidth <= 0:
						t.Errorf("%s at %s: the timeline has no line (border-inline-start is %.1f px)", page, v, e.LineWidth)
					case e.Content == "none" || e.Display == "none" || e.Width <= 0:
						t.Errorf("%s at %s: event %q has no dot (::before content %s, display %s, width %.1f)", page, v, e.Event, e.Content, e.Display, e.Width)
					case e.Position != "absolute":
						t.Errorf("%s at %s: the dot of event %q is position: %s; its place cannot be measured (want absolute)", page, v, e.Event, e.Position)
					case math.Abs(e.Dot-e.Line) > 1.5:
						t.Errorf("%s at %s: the dot of event %q is centred at %.2f px, the line at %.2f px: %.2f px off (at most 1.5)", page, v, e.Event, e.Dot, e.Line, e.Dot-e.Line)
					}
				}
			})
		}
	}
}
