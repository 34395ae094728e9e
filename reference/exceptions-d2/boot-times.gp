# written by nestbench report; rerun with: gnuplot boot-times.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,620 font 'DejaVu Sans,11'
set output 'boot-times.png'
set title 'Boot time per level (bar: median, whiskers: min..max, dots: boots)'
set ylabel 'boot time [s] (in the parent''s clock, named per level)'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set xtics ('L0'."\n".'host wall clock' 0, 'L1'."\n".'icount clock' 1, 'L2'."\n".'icount clock' 2)
set xrange [-0.6:2.6]
unset xlabel
set bmargin 4
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.4000
plot 'boot-times.dat' index 0 using 1:2 with boxes lc rgb '#1f77b4' title 'patched', \
     '' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 0 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'boot-times.dat' index 2 using 1:2 with boxes lc rgb '#d62728' title 'base', \
     '' index 2 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 2 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle

set terminal svg size 1000,620 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'boot-times.svg'
replot
