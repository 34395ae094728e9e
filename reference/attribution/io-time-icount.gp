# written by nestbench report; rerun with: gnuplot io-time-icount.gp
# the same plot twice, PNG then SVG (a multiplot cannot be replotted)
set encoding utf8

reset
set terminal pngcairo size 1100,720 font 'DejaVu Sans,11'
set termoption noenhanced
set output 'io-time-icount.png'
set title 'io time (icount clock): one point per boot, the mean of its repetitions (the verdict''s unit)'."\n".'the verdict''s clock'."\n".'emulated: not hardware numbers'
set ylabel 'io time (icount clock) [ms]'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set title tc rgb 'black'
set key outside bottom center horizontal maxrows 2 samplen 2
set xtics ('base' 1, 'l1-l2' 2, 'l0-only' 3, 'all' 4)
set xrange [0.4:5.1]
set xlabel 'variant'
set label 'all vs base: io time (icount clock), means of boots -3.8% (95% CI -5.4% .. -2.2%, t-test p=0.0098, n=2+2 boots)' at character 2, character 3 left front tc rgb '#2ca02c'
set label 'l0-only vs base: io time (icount clock), means of boots: no significant difference (p=0.085, n=2+2 boots; delta -1.7%, 95% CI -3.9% ..'."\n".'+0.6%)' at character 2, character 5 left front tc rgb '#d62728'
set label 'l1-l2 vs base: io time (icount clock), means of boots -4.2% (95% CI -4.7% .. -3.7%, t-test p=9e-4, n=2+2 boots)' at character 2, character 6 left front tc rgb '#1f77b4'
set bmargin 10
set offsets 0,0,graph 0.05,graph 0.05
set arrow from graph 0, first 2671.52386075 to graph 1, first 2671.52386075 nohead dt 2 lc rgb 'gray30' back
set label '-4.2%'."\n".'95% CI -4.7% .. -3.7%' at 2.300000, first 2559.19972125 left offset 0.6,0 front tc rgb '#1f77b4'
set label '-1.7%'."\n".'95% CI -3.9% .. +0.6%' at 3.300000, first 2626.2171615000002 left offset 0.6,0 front tc rgb '#d62728'
set label '-3.8%'."\n".'95% CI -5.4% .. -2.2%' at 4.300000, first 2570.02850825 left offset 0.6,0 front tc rgb '#2ca02c'
plot 'io-time-icount.dat' index 0 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a0ff7f0e' notitle, \
     '' index 0 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 1 using 1:2 with points pt 7 ps 1.6 lc rgb '#ff7f0e' notitle, \
     '' index 2 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#ff7f0e' notitle, \
     'io-time-icount.dat' index 3 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a01f77b4' notitle, \
     '' index 3 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 4 using 1:2 with points pt 7 ps 1.6 lc rgb '#1f77b4' notitle, \
     '' index 5 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#1f77b4' notitle, \
     '' index 6 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#1f77b4' notitle, \
     'io-time-icount.dat' index 7 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a0d62728' notitle, \
     '' index 7 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 8 using 1:2 with points pt 7 ps 1.6 lc rgb '#d62728' notitle, \
     '' index 9 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#d62728' notitle, \
     '' index 10 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#d62728' notitle, \
     'io-time-icount.dat' index 11 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a02ca02c' notitle, \
     '' index 11 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 12 using 1:2 with points pt 7 ps 1.6 lc rgb '#2ca02c' notitle, \
     '' index 13 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#2ca02c' notitle, \
     '' index 14 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#2ca02c' notitle, \
     keyentry with points pt 7 ps 0.5 lc rgb '#a0404040' title 'repetition (ring: MAD outlier)', \
     keyentry with points pt 7 ps 1.6 lc rgb 'black' title 'boot: mean of its repetitions', \
     keyentry with vectors nohead lw 3 lc rgb 'black' title 'mean of boot means', \
     keyentry with lines dt 2 lc rgb 'gray30' title 'baseline: mean of boot means', \
     keyentry with yerrorbars pt 5 ps 0.9 lw 2 lc rgb 'black' title 'change vs baseline, 95% CI'
unset output

reset
set terminal svg size 1100,720 dynamic background rgb 'white' font 'DejaVu Sans,11'
set termoption noenhanced
set output 'io-time-icount.svg'
set title 'io time (icount clock): one point per boot, the mean of its repetitions (the verdict''s unit)'."\n".'the verdict''s clock'."\n".'emulated: not hardware numbers'
set ylabel 'io time (icount clock) [ms]'
set grid ytics
set key outside right top
set style fill transparent solid 0.3 border
set title tc rgb 'black'
set key outside bottom center horizontal maxrows 2 samplen 2
set xtics ('base' 1, 'l1-l2' 2, 'l0-only' 3, 'all' 4)
set xrange [0.4:5.1]
set xlabel 'variant'
set label 'all vs base: io time (icount clock), means of boots -3.8% (95% CI -5.4% .. -2.2%, t-test p=0.0098, n=2+2 boots)' at character 2, character 3 left front tc rgb '#2ca02c'
set label 'l0-only vs base: io time (icount clock), means of boots: no significant difference (p=0.085, n=2+2 boots; delta -1.7%, 95% CI -3.9% ..'."\n".'+0.6%)' at character 2, character 5 left front tc rgb '#d62728'
set label 'l1-l2 vs base: io time (icount clock), means of boots -4.2% (95% CI -4.7% .. -3.7%, t-test p=9e-4, n=2+2 boots)' at character 2, character 6 left front tc rgb '#1f77b4'
set bmargin 10
set offsets 0,0,graph 0.05,graph 0.05
set arrow from graph 0, first 2671.52386075 to graph 1, first 2671.52386075 nohead dt 2 lc rgb 'gray30' back
set label '-4.2%'."\n".'95% CI -4.7% .. -3.7%' at 2.300000, first 2559.19972125 left offset 0.6,0 front tc rgb '#1f77b4'
set label '-1.7%'."\n".'95% CI -3.9% .. +0.6%' at 3.300000, first 2626.2171615000002 left offset 0.6,0 front tc rgb '#d62728'
set label '-3.8%'."\n".'95% CI -5.4% .. -2.2%' at 4.300000, first 2570.02850825 left offset 0.6,0 front tc rgb '#2ca02c'
plot 'io-time-icount.dat' index 0 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a0ff7f0e' notitle, \
     '' index 0 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 1 using 1:2 with points pt 7 ps 1.6 lc rgb '#ff7f0e' notitle, \
     '' index 2 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#ff7f0e' notitle, \
     'io-time-icount.dat' index 3 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a01f77b4' notitle, \
     '' index 3 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 4 using 1:2 with points pt 7 ps 1.6 lc rgb '#1f77b4' notitle, \
     '' index 5 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#1f77b4' notitle, \
     '' index 6 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#1f77b4' notitle, \
     'io-time-icount.dat' index 7 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a0d62728' notitle, \
     '' index 7 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 8 using 1:2 with points pt 7 ps 1.6 lc rgb '#d62728' notitle, \
     '' index 9 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#d62728' notitle, \
     '' index 10 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#d62728' notitle, \
     'io-time-icount.dat' index 11 using 1:($3 > 0.5 ? 1/0 : $2) with points pt 7 ps 0.5 lc rgb '#a02ca02c' notitle, \
     '' index 11 using 1:($3 > 0.5 ? $2 : 1/0) with points pt 6 ps 1.3 lc rgb '#60000000' notitle, \
     '' index 12 using 1:2 with points pt 7 ps 1.6 lc rgb '#2ca02c' notitle, \
     '' index 13 using ($1 - 0.22):2:(0.44):(0) with vectors nohead lw 3 lc rgb '#2ca02c' notitle, \
     '' index 14 using 1:2:3:4 with yerrorbars pt 5 ps 0.9 lw 2 lc rgb '#2ca02c' notitle, \
     keyentry with points pt 7 ps 0.5 lc rgb '#a0404040' title 'repetition (ring: MAD outlier)', \
     keyentry with points pt 7 ps 1.6 lc rgb 'black' title 'boot: mean of its repetitions', \
     keyentry with vectors nohead lw 3 lc rgb 'black' title 'mean of boot means', \
     keyentry with lines dt 2 lc rgb 'gray30' title 'baseline: mean of boot means', \
     keyentry with yerrorbars pt 5 ps 0.9 lw 2 lc rgb 'black' title 'change vs baseline, 95% CI'
unset output
