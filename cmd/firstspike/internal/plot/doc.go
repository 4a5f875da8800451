// Package plot draws the PNG figures firstspike writes: spike rasters, training curves, the
// Yin-Yang classification map and output spike-time distributions.
//
// Every figure is rendered in memory at 150 dpi and then written atomically, so a reader never
// sees a half-written image. Colours come from the Okabe–Ito palette, which stays distinct for
// the common forms of colour-blindness.
//
// Empty inputs are not errors: the figure is still written, with its title and axes and a
// note such as "no data" in place of the data, so that a pipeline that expects the file keeps
// working. +Inf spike times mean "no spike" and are counted or skipped as each function
// documents. Input that no figure can show, such as a NaN spike time or coordinate, is an
// error that names the output path, the offending slice element and its value; so is a path
// that cannot be written.
package plot
