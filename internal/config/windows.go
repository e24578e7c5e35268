package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// AWS maintenance and backup windows, in UTC. A daily window is
// "hh24:mi-hh24:mi"; a weekly one is "ddd:hh24:mi-ddd:hh24:mi".

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

var (
	dailyPattern  = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$`)
	weeklyPattern = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$`)
	weekdays      = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

// span is a half-open range of minutes within a week.
type span struct{ from, to int }

// DailyWindow parses "hh24:mi-hh24:mi" and returns its length in minutes and
// the seven spans it covers in a week.
func DailyWindow(s string) (minutes int, spans []span, err error) {
	m := dailyPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, nil, fmt.Errorf("must be hh24:mi-hh24:mi in UTC, e.g. 03:00-04:00")
	}
	from, to := atoi(m[1])*60+atoi(m[2]), atoi(m[3])*60+atoi(m[4])
	minutes = (to - from + minutesPerDay) % minutesPerDay
	for d := range 7 {
		spans = append(spans, wrap(d*minutesPerDay+from, minutes)...)
	}
	return minutes, spans, nil
}

// WeeklyWindow parses "ddd:hh24:mi-ddd:hh24:mi" (lower-case day names) and
// returns its length in minutes and the spans it covers.
func WeeklyWindow(s string) (minutes int, spans []span, err error) {
	m := weeklyPattern.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return 0, nil, fmt.Errorf("must be ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. mon:04:00-mon:05:00")
	}
	from := day(m[1])*minutesPerDay + atoi(m[2])*60 + atoi(m[3])
	to := day(m[4])*minutesPerDay + atoi(m[5])*60 + atoi(m[6])
	minutes = (to - from + minutesPerWeek) % minutesPerWeek
	return minutes, wrap(from, minutes), nil
}

// wrap splits a span that runs past the end of the week.
func wrap(from, minutes int) []span {
	from %= minutesPerWeek
	if from+minutes <= minutesPerWeek {
		return []span{{from, from + minutes}}
	}
	return []span{{from, minutesPerWeek}, {0, from + minutes - minutesPerWeek}}
}

// overlap reports whether any two spans intersect.
func overlap(a, b []span) bool {
	for _, x := range a {
		for _, y := range b {
			if x.from < y.to && y.from < x.to {
				return true
			}
		}
	}
	return false
}

// WindowsOverlap reports whether a daily window and a weekly window share any
// minute. Both must parse.
func WindowsOverlap(daily, weekly string) (bool, error) {
	_, d, err := DailyWindow(daily)
	if err != nil {
		return false, err
	}
	_, w, err := WeeklyWindow(weekly)
	if err != nil {
		return false, err
	}
	return overlap(d, w), nil
}

func day(s string) int {
	for i, d := range weekdays {
		if d == s {
			return i
		}
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // the patterns admit only digits
	return n
}
