# written by nestbench report; rerun with: gnuplot boot-times.gp
# the same plot twice, PNG then SVG (a multiplot cannot be replotted)
set encoding utf8

reset
set terminal pngcairo size 1200,660 font 'DejaVu Sans,11'
set termoption noenhanced
set output 'boot-times.png'
set grid ytics
set key below horizontal
set style fill transparent solid 0.3 border
set bmargin 5
set multiplot title 'Boot time per level, one panel per clock: the clocks are not comparable'."\n".'(bar: median, whiskers: min..max, dots: boots); emulated: not hardware numbers'
# panel 1
set origin 0.0000,0
set size 0.3333,0.92
set tmargin 4
set title 'host wall clock'."\n".'HOST-DISTURBED: 2 boots ran side by side and share'."\n".'this clock: not compared' tc rgb '#b00000'
set ylabel 'boot time [s], host wall clock'
set xtics ('L0'."\n".'host wall clock' 0)
set xrange [-0.6:0.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'boot-times.dat' index 0 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 0 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'boot-times.dat' index 2 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 2 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 2 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'boot-times.dat' index 4 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 4 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 4 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 5 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'boot-times.dat' index 6 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 6 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 6 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 7 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
# panel 2
set origin 0.3333,0
set size 0.6667,0.92
set tmargin 4
set title 'icount clock'."\n".'HOST-DISTURBED: under icount (sleep=off) the clock warps while L0 waits for the host''s disk, so boot'."\n".'times vary with the host''s I/O (docs/time.md); 2 boots ran side by side' tc rgb '#b00000'
set ylabel 'boot time [s], icount clock'
set xtics ('L1'."\n".'icount clock' 0, 'L2'."\n".'icount clock' 1, 'L3'."\n".'icount clock' 2)
set xrange [-0.6:2.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'boot-times.dat' index 8 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 8 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 8 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 9 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'boot-times.dat' index 10 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 10 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 10 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 11 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'boot-times.dat' index 12 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 12 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 12 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 13 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'boot-times.dat' index 14 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 14 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 14 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 15 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
unset multiplot
unset output

reset
set terminal svg size 1200,660 dynamic background rgb 'white' font 'DejaVu Sans,11'
set termoption noenhanced
set output 'boot-times.svg'
set grid ytics
set key below horizontal
set style fill transparent solid 0.3 border
set bmargin 5
set multiplot title 'Boot time per level, one panel per clock: the clocks are not comparable'."\n".'(bar: median, whiskers: min..max, dots: boots); emulated: not hardware numbers'
# panel 1
set origin 0.0000,0
set size 0.3333,0.92
set tmargin 4
set title 'host wall clock'."\n".'HOST-DISTURBED: 2 boots ran side by side and share'."\n".'this clock: not compared' tc rgb '#b00000'
set ylabel 'boot time [s], host wall clock'
set xtics ('L0'."\n".'host wall clock' 0)
set xrange [-0.6:0.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'boot-times.dat' index 0 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 0 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 0 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 1 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'boot-times.dat' index 2 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 2 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 2 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 3 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'boot-times.dat' index 4 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 4 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 4 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 5 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'boot-times.dat' index 6 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 6 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 6 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 7 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
# panel 2
set origin 0.3333,0
set size 0.6667,0.92
set tmargin 4
set title 'icount clock'."\n".'HOST-DISTURBED: under icount (sleep=off) the clock warps while L0 waits for the host''s disk, so boot'."\n".'times vary with the host''s I/O (docs/time.md); 2 boots ran side by side' tc rgb '#b00000'
set ylabel 'boot time [s], icount clock'
set xtics ('L1'."\n".'icount clock' 0, 'L2'."\n".'icount clock' 1, 'L3'."\n".'icount clock' 2)
set xrange [-0.6:2.6]
unset xlabel
set yrange [0:*]
set offsets 0,0,graph 0.08,0
set bars 1.5
set boxwidth 0.2000
plot 'boot-times.dat' index 8 using 1:2 with boxes lc rgb '#1f77b4' title 'l1-l2', \
     '' index 8 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 8 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 9 using 1:2 with points pt 7 ps 0.6 lc rgb '#1f77b4' notitle, \
     'boot-times.dat' index 10 using 1:2 with boxes lc rgb '#d62728' title 'l0-only', \
     '' index 10 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 10 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 11 using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' notitle, \
     'boot-times.dat' index 12 using 1:2 with boxes lc rgb '#2ca02c' title 'all', \
     '' index 12 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 12 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 13 using 1:2 with points pt 7 ps 0.6 lc rgb '#2ca02c' notitle, \
     'boot-times.dat' index 14 using 1:2 with boxes lc rgb '#ff7f0e' title 'base', \
     '' index 14 using 1:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle, \
     '' index 14 using 1:4:(sprintf('%.3g', $2)) with labels offset 0,0.9 notitle, \
     '' index 15 using 1:2 with points pt 7 ps 0.6 lc rgb '#ff7f0e' notitle
unset multiplot
unset output
