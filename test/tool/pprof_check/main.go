// pprof_check writes and reads pprof profiles for pyprefix's tests with google/pprof's own
// profile package, the reader behind `go tool pprof`.
//
//	pprof_check write OUT PREFIX...  an uncompressed profile of Python frames under each PREFIX
//	                                 (standard library files, a script outside them, a frozen
//	                                 module, a file name that is also a function's name, one
//	                                 that is also a label's value, a native mapping)
//	pprof_check dump FILE            the profile (gzip or not) as JSON: every sample, value,
//	                                 label, location, line, mapping and function, in order
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/pprof/profile"
)

func write(out string, prefixes []string) error {
	mapping := &profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x500000, File: "/usr/lib/x86_64-linux-gnu/libpython3.so.1.0",
		BuildID: "5f0e2b9c", HasFunctions: true}
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "wall", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "wall", Unit: "nanoseconds"},
		Period:        10000000,
		TimeNanos:     1765000000000000000,
		DurationNanos: 3000000000,
		Comments:      []string{"written by pyprefix's tests"},
		Mapping:       []*profile.Mapping{mapping},
	}
	type frame struct{ name, file string }
	var frames []frame
	for _, prefix := range prefixes {
		frames = append(frames,
			frame{"JSONDecoder.decode", prefix + "json/decoder.py"},
			frame{"loads", prefix + "json/__init__.py"},
			frame{"run", prefix + "runpy.py"},
			// A file name that is also a function's name, and one that is also a label's value:
			// the same string, so it stays whole.
			frame{prefix + "named/twice.py", prefix + "named/twice.py"},
			frame{"labelled", prefix + "labelled.py"})
	}
	frames = append(frames, frame{"main", "/srv/app/main.py"}, frame{"_find_and_load", "<frozen importlib._bootstrap>"})
	var locations []*profile.Location
	for i, f := range frames {
		function := &profile.Function{ID: uint64(i + 1), Name: f.name, SystemName: f.name, Filename: f.file, StartLine: int64(10 * i)}
		p.Function = append(p.Function, function)
		location := &profile.Location{ID: uint64(i + 1), Mapping: mapping, Address: uint64(0x401000 + 16*i),
			Line: []profile.Line{{Function: function, Line: int64(100 + i)}}}
		p.Location = append(p.Location, location)
		locations = append(locations, location)
	}
	for i := range locations {
		stack := []*profile.Location{}
		for j := i; j >= 0 && j > i-4; j-- {
			stack = append(stack, locations[j])
		}
		sample := &profile.Sample{Location: stack, Value: []int64{int64(i + 1), int64(1000 * (i + 1))},
			Label:    map[string][]string{"thread": {"MainThread"}},
			NumLabel: map[string][]int64{"bytes": {int64(64 * i)}}, NumUnit: map[string][]string{"bytes": {"bytes"}}}
		if len(prefixes) > 0 {
			sample.Label["file"] = []string{prefixes[0] + "labelled.py"}
		}
		p.Sample = append(p.Sample, sample)
	}
	if err := p.CheckValid(); err != nil {
		return err
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	defer file.Close()
	return p.WriteUncompressed(file)
}

type line struct {
	Function uint64 `json:"function"`
	Line     int64  `json:"line"`
	Column   int64  `json:"column"`
}

func dump(path string) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	p, err := profile.Parse(file)
	if err != nil {
		return err
	}
	out := map[string]interface{}{}
	var types [][2]string
	for _, t := range p.SampleType {
		types = append(types, [2]string{t.Type, t.Unit})
	}
	out["sample_types"] = types
	var samples []map[string]interface{}
	for _, s := range p.Sample {
		var ids []uint64
		for _, l := range s.Location {
			ids = append(ids, l.ID)
		}
		samples = append(samples, map[string]interface{}{"locations": ids, "values": s.Value, "labels": s.Label,
			"numeric_labels": s.NumLabel, "numeric_units": s.NumUnit})
	}
	out["samples"] = samples
	var mappings []map[string]interface{}
	for _, m := range p.Mapping {
		mappings = append(mappings, map[string]interface{}{"id": m.ID, "start": m.Start, "limit": m.Limit,
			"offset": m.Offset, "file": m.File, "build_id": m.BuildID, "has_functions": m.HasFunctions,
			"has_filenames": m.HasFilenames, "has_line_numbers": m.HasLineNumbers, "has_inline_frames": m.HasInlineFrames})
	}
	out["mappings"] = mappings
	var locations []map[string]interface{}
	for _, l := range p.Location {
		var lines []line
		for _, ln := range l.Line {
			lines = append(lines, line{ln.Function.ID, ln.Line, ln.Column})
		}
		var mappingID uint64
		if l.Mapping != nil {
			mappingID = l.Mapping.ID
		}
		locations = append(locations, map[string]interface{}{"id": l.ID, "mapping": mappingID, "address": l.Address,
			"lines": lines, "is_folded": l.IsFolded})
	}
	out["locations"] = locations
	var functions []map[string]interface{}
	for _, f := range p.Function {
		functions = append(functions, map[string]interface{}{"id": f.ID, "name": f.Name, "system_name": f.SystemName,
			"filename": f.Filename, "start_line": f.StartLine})
	}
	out["functions"] = functions
	out["drop_frames"], out["keep_frames"] = p.DropFrames, p.KeepFrames
	out["time_nanos"], out["duration_nanos"], out["period"] = p.TimeNanos, p.DurationNanos, p.Period
	if p.PeriodType != nil {
		out["period_type"] = [2]string{p.PeriodType.Type, p.PeriodType.Unit}
	}
	out["comments"], out["default_sample_type"], out["doc_url"] = p.Comments, p.DefaultSampleType, p.DocURL
	return json.NewEncoder(os.Stdout).Encode(out)
}

func main() {
	var err error
	switch {
	case len(os.Args) >= 3 && os.Args[1] == "write":
		err = write(os.Args[2], os.Args[3:])
	case len(os.Args) == 3 && os.Args[1] == "dump":
		err = dump(os.Args[2])
	default:
		err = fmt.Errorf("usage: pprof_check write OUT PREFIX... | pprof_check dump FILE")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pprof_check:", err)
		os.Exit(1)
	}
}
