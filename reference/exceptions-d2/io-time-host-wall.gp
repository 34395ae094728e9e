# written by nestbench report; rerun with: gnuplot io-time-host-wall.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,620 font 'DejaVu Sans,11'
set output 'io-time-host-wall.png'
set title 'io time (host wall clock): timing reps per variant (box: quartiles, ring: MAD outlier)'."\n".'emulated: not hardware numbers'
set ylabel 'io time (host wall clock) [ms]'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set xtics ('patched' 1, 'base' 2)
set xrange [0.4:2.6]
set xlabel 'variant'
set style boxplot nooutliers
set boxwidth 0.5
set key off
set offsets 0,0,graph 0.05,graph 0.05
plot 'io-time-host-wall.dat' index 0 using (1):2 with boxplot lc rgb '#1f77b4' title 'patched', \
     '' index 0 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.7 lc rgb '#1f77b4' notitle, \
     '' index 0 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.6 lc rgb 'black' notitle, \
     'io-time-host-wall.dat' index 1 using (2):2 with boxplot lc rgb '#d62728' title 'base', \
     '' index 1 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.7 lc rgb '#d62728' notitle, \
     '' index 1 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.6 lc rgb 'black' notitle

set terminal svg size 1000,620 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'io-time-host-wall.svg'
replot
