# written by nestbench report; rerun with: gnuplot model-sensitivity.gp
set encoding utf8
set termoption noenhanced
set terminal pngcairo size 1000,692 font 'DejaVu Sans,11'
set output 'model-sensitivity.png'
set title 'Modelled change vs cost per exit to L0 (a model: icount instructions + counted exceptions)'."\n".'shaded: the measured change''s 95% CI, to read the model against'
set xlabel 'cost per exit to L0 [us]'
set ylabel 'change of time per I/O vs baseline [%]'
set grid
set key outside bottom center horizontal maxcols 2 samplen 2
set xrange [-0.125:5]
set bmargin 8
set arrow from 0.306, graph 0 to 0.306, graph 1 nohead dashtype 2
set label 'Ampere Altra' at 0.306, graph 0.95 left offset 0.5,0
set label 'patched vs base: io time (icount clock), means of boots: no significant difference (p=0.31, n=2+2 boots; delta -0.86%, 95% CI'."\n".'-3.52% .. +1.88%)' at character 2, character 4 left tc rgb '#1f77b4'
plot 0 with lines lc rgb 'gray50' notitle, \
     'model-sensitivity.dat' using 1:5:6 with filledcurves fc rgb '#1f77b4' fs transparent solid 0.15 noborder title 'patched: measured, 95% CI (boot means)', \
     'model-sensitivity.dat' every ::0::0 using 1:4:5:6 with yerrorbars pt 7 ps 1.2 lw 2 lc rgb '#1f77b4' title 'patched: measured change at 0 us (icount)', \
     'model-sensitivity.dat' using 1:2 with lines lc rgb '#1f77b4' linewidth 2 title 'patched: modelled', \
     'model-sensitivity.dat' using 1:3 with lines lc rgb '#1f77b4' dashtype 3 title 'patched: measured per I/O (report''s model line)'
set terminal svg size 1000,692 dynamic background rgb 'white' font 'DejaVu Sans,11'
set output 'model-sensitivity.svg'
replot
