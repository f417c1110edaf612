# plot.gp: the benchmark's plot, drawn by bench/run.sh.
#
#   gnuplot -e "datafile='plot.dat'; outfile='report.svg'; nsides=N" bench/plot.gp
#
# datafile: tab-separated, a header row (program, then one column per side),
# then one row per program with each side's time / native time (NaN where it
# did not run). Programs marked * are the I/O-heavy ones.
set terminal svg size 1100,520 dynamic enhanced font 'sans,12' background rgb 'white'
set output outfile
set datafile separator "\t"
set datafile missing "NaN"
set title "Median wall time relative to native (log scale; * = I/O-heavy program)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border rgb 'black'
set boxwidth 0.9
set logscale y 2
set yrange [0.25:*]
set ytics ("0.25" 0.25, "0.5" 0.5, "1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64, "128" 128, "256" 256)
set ylabel "time / native"
set grid ytics
set key top left horizontal
set xtics nomirror
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb 'black' lw 1
set arrow 2 from graph 0, first 8 to graph 1, first 8 nohead dt 2 lc rgb '#c00000' lw 1
set label 1 "compute target: 8x" at graph 0.01, first 8 left offset 0, 0.6 tc rgb '#c00000'
plot for [i=2:nsides+1] datafile using i:xtic(1) title columnheader(i)
