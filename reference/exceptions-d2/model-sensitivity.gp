# written by nestbench report; rerun with: gnuplot model-sensitivity.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,620 font 'DejaVu Sans,11'
set output 'model-sensitivity.png'
set title 'Modelled change vs cost per exit to L0 (a model: icount instructions + counted exceptions)'
set xlabel 'cost per exit to L0 [us]'
set ylabel 'change of time per I/O vs baseline [%]'
set grid
set key outside right top
set xrange [0:5]
set arrow from 0.306, graph 0 to 0.306, graph 1 nohead dashtype 2
set label 'Ampere Altra' at 0.306, graph 0.95 left offset 0.5,0
plot 'model-sensitivity.dat' using 1:2 with lines linewidth 2 title 'patched, modelled', 'model-sensitivity.dat' using 1:3 with lines dashtype 3 title 'patched, measured (icount)'
set terminal svg size 1000,620 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'model-sensitivity.svg'
replot
