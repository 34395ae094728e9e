# written by nestbench report; rerun with: gnuplot fp-per-transition.gp
# the same plot twice, PNG then SVG (a multiplot cannot be replotted)
set encoding utf8

reset
set terminal pngcairo size 1000,620 font 'DejaVu Sans,11'
set termoption noenhanced
set output 'fp-per-transition.png'
set title 'FP saves per nested transition, per emulating level (counting reps; bar: median, whiskers: min..max)'
set ylabel 'FP saves per nested transition [count/transition]'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set bmargin 4
set xtics ('L0' 0, 'L1' 1)
set xrange [-0.6:1.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'fp-per-transition.dat' index 0 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 0 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'fp-per-transition.dat' index 2 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 2 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 2 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'fp-per-transition.dat' index 4 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 4 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 4 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 5 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'fp-per-transition.dat' index 6 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 6 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 6 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 7 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
unset output

reset
set terminal svg size 1000,620 dynamic background rgb 'white' font 'DejaVu Sans,11'
set termoption noenhanced
set output 'fp-per-transition.svg'
set title 'FP saves per nested transition, per emulating level (counting reps; bar: median, whiskers: min..max)'
set ylabel 'FP saves per nested transition [count/transition]'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set bmargin 4
set xtics ('L0' 0, 'L1' 1)
set xrange [-0.6:1.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'fp-per-transition.dat' index 0 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 0 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'fp-per-transition.dat' index 2 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 2 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 2 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'fp-per-transition.dat' index 4 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 4 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 4 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 5 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'fp-per-transition.dat' index 6 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 6 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 6 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 7 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
unset output
