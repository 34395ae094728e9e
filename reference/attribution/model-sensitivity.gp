# written by nestbench report; rerun with: gnuplot model-sensitivity.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,800 font 'DejaVu Sans,11'
set output 'model-sensitivity.png'
set title 'Modelled change vs cost per exit to L0 (a model: icount instructions + counted exceptions)'."\n".'shaded: the measured change''s 95% CI, to read the model against'
set xlabel 'cost per exit to L0 [us]'
set ylabel 'change of time per I/O vs baseline [%]'
set grid
set key outside bottom center horizontal maxcols 2 samplen 2
set xrange [-0.125:5]
set bmargin 14
set arrow from 0.306, graph 0 to 0.306, graph 1 nohead dashtype 2
set label 'Ampere Altra' at 0.306, graph 0.95 left offset 0.5,0
set label 'all vs base: io time (icount clock), means of boots -3.8% (95% CI -5.4% .. -2.2%, t-test p=0.0098, n=2+2 boots)' at character 2, character 7 left tc rgb '#2ca02c'
set label 'l0-only vs base: io time (icount clock), means of boots: no significant difference (p=0.085, n=2+2 boots; delta -1.7%, 95% CI'."\n".'-3.9% .. +0.6%)' at character 2, character 9 left tc rgb '#d62728'
set label 'l1-l2 vs base: io time (icount clock), means of boots -4.2% (95% CI -4.7% .. -3.7%, t-test p=9e-4, n=2+2 boots)' at character 2, character 10 left tc rgb '#1f77b4'
plot 0 with lines lc rgb 'gray50' notitle, \
     'model-sensitivity.dat' using 1:5:6 with filledcurves fc rgb '#1f77b4' fs transparent solid 0.15 noborder title 'l1-l2: measured, 95% CI (boot means)', \
     'model-sensitivity.dat' every ::0::0 using 1:4:5:6 with yerrorbars pt 7 ps 1.2 lw 2 lc rgb '#1f77b4' title 'l1-l2: measured change at 0 us (icount)', \
     'model-sensitivity.dat' using 1:2 with lines lc rgb '#1f77b4' linewidth 2 title 'l1-l2: modelled', \
     'model-sensitivity.dat' using 1:3 with lines lc rgb '#1f77b4' dashtype 3 title 'l1-l2: measured per I/O (report''s model line)', \
     'model-sensitivity.dat' using 1:10:11 with filledcurves fc rgb '#d62728' fs transparent solid 0.15 noborder title 'l0-only: measured, 95% CI (boot means)', \
     'model-sensitivity.dat' every ::0::0 using 1:9:10:11 with yerrorbars pt 7 ps 1.2 lw 2 lc rgb '#d62728' title 'l0-only: measured change at 0 us (icount)', \
     'model-sensitivity.dat' using 1:7 with lines lc rgb '#d62728' linewidth 2 title 'l0-only: modelled', \
     'model-sensitivity.dat' using 1:8 with lines lc rgb '#d62728' dashtype 3 title 'l0-only: measured per I/O (report''s model line)', \
     'model-sensitivity.dat' using 1:15:16 with filledcurves fc rgb '#2ca02c' fs transparent solid 0.15 noborder title 'all: measured, 95% CI (boot means)', \
     'model-sensitivity.dat' every ::0::0 using 1:14:15:16 with yerrorbars pt 7 ps 1.2 lw 2 lc rgb '#2ca02c' title 'all: measured change at 0 us (icount)', \
     'model-sensitivity.dat' using 1:12 with lines lc rgb '#2ca02c' linewidth 2 title 'all: modelled', \
     'model-sensitivity.dat' using 1:13 with lines lc rgb '#2ca02c' dashtype 3 title 'all: measured per I/O (report''s model line)'
set terminal svg size 1000,800 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'model-sensitivity.svg'
replot
