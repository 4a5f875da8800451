// Package plot draws the PNG figures firstspike writes: spike rasters, training curves, the
// Yin-Yang classification map and output spike-time distributions.
//
// Every figure is rendered in memory at 150 dpi and then written atomically, so a reader never
// sees a half-written image. Colours come from the Okabe–Ito palette, which stays distinct for
// the common forms of colour-blindness.
//
// Empty inputs are not errors: the figure is still written, with its title and axes and a
// "no data"-style note in place of the data, so that a pipeline that always expects the file
// keeps working. Non-finite values are handled as each function documents; a NaN in the data
// is reported as an error that names the output path, the slice and the index.
package plot
