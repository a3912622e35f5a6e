# ns per path against the number of prefixes: pyprefix's Trimmer beside torch's linear scan.
# Called by bench/trim.sh with data_dir (packages.dat, conda.dat) and output_file set.
set terminal pngcairo size 900,520 font ",11"
set output output_file
set title "Trimming a real path: pyprefix::Trimmer against torch's linear scan"
set xlabel "prefixes in the list"
set ylabel "ns per path (log scale)"
set logscale xy
set xrange [4:700]
set key top left
set grid
plot data_dir."/packages.dat" using 1:3 with linespoints lw 2 title "torch's algorithm, list grown with package folders", \
     data_dir."/conda.dat" using 1:3 with linespoints lw 2 title "torch's algorithm, list grown with conda environments", \
     data_dir."/packages.dat" using 1:2 with linespoints lw 2 title "pyprefix, package folders", \
     data_dir."/conda.dat" using 1:2 with linespoints lw 2 title "pyprefix, conda environments", \
     data_dir."/packages.dat" using 1:4 with lines dt 2 lw 2 title "one strlen pass"
