# written by nestbench report; rerun with: gnuplot model-sensitivity.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,674 font 'DejaVu Sans,11'
set output 'model-sensitivity.png'
set title 'Modelled change vs cost per exit to L0 (a model: icount instructions + counted exceptions)'."\n".'no measured 95% CI to read it against: no verdict in the icount clock (the verdict line says why)'
set xlabel 'cost per exit to L0 [us]'
set ylabel 'change of time per I/O vs baseline [%]'
set grid
set key outside bottom center horizontal maxcols 2 samplen 2
set xrange [-0.125:5]
set bmargin 7
set arrow from 0.306, graph 0 to 0.306, graph 1 nohead dashtype 2
set label 'Ampere Altra' at 0.306, graph 0.95 left offset 0.5,0
set label 'patched vs base: io time (icount clock): no verdict, n=1+1 boots: repetitions of one boot are not independent samples; run >='."\n".'2 boots per variant' at character 2, character 3 left tc rgb '#1f77b4'
plot 0 with lines lc rgb 'gray50' notitle, \
     'model-sensitivity.dat' using 1:2 with lines lc rgb '#1f77b4' linewidth 2 title 'patched: modelled', \
     'model-sensitivity.dat' using 1:3 with lines lc rgb '#1f77b4' dashtype 3 title 'patched: measured per I/O (report''s model line)'
set terminal svg size 1000,674 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'model-sensitivity.svg'
replot
