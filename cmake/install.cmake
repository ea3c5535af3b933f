# What `cmake --install` puts where (GNUInstallDirs), and the Debian package
# CPack makes of the same tree (`make package`).
#
#   bin/juggle
#   share/juggle/analysis/   plot.py (report --plot), show_results.py (h5py reader)
#   share/juggle/jobs/       the SLURM scripts, templates to copy and edit
#   share/juggle/tools/      default-corpus.sh (the jobs' default input)
#   share/juggle/inputs/     example job files
#   share/man/man1/juggle.1
#   share/bash-completion/completions/juggle
#   share/doc/juggle/        README and docs/
#
# The data folders keep the checkout's names and relative places, so the job
# scripts and juggle itself find them the same way in both trees.

install(TARGETS juggle RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(PROGRAMS analysis/plot.py analysis/show_results.py DESTINATION ${JUGGLE_DATA_SUBDIR}/analysis)
install(PROGRAMS jobs/count.sbatch jobs/tokenize.sbatch jobs/pipeline.sbatch jobs/scaling.sbatch
                 jobs/report.sbatch jobs/submit-scaling.sh jobs/laptop-scaling.sh jobs/grid.sh
        DESTINATION ${JUGGLE_DATA_SUBDIR}/jobs)
install(FILES jobs/juggle-job.sh jobs/laptop-scaling.toml jobs/README.md DESTINATION ${JUGGLE_DATA_SUBDIR}/jobs)
install(PROGRAMS tools/default-corpus.sh DESTINATION ${JUGGLE_DATA_SUBDIR}/tools)
install(FILES inputs/README.md inputs/demo.toml inputs/gutenberg.toml inputs/gutenberg.urls
        DESTINATION ${JUGGLE_DATA_SUBDIR}/inputs)
install(FILES docs/juggle.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES tools/juggle-completion.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME juggle)
install(FILES README.md docs/performance.md docs/reliability.md docs/results-format.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb: its library dependencies from dpkg-shlibdeps (the versions this
# build linked), plus what juggle runs rather than links: mpirun, and Python
# with h5py and matplotlib for report --plot.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME juggle)
set(CPACK_PACKAGE_VENDOR "the juggle developers")
set(CPACK_PACKAGE_CONTACT "juggle developers <juggle@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "MPI/OpenMP line counting, tokenizing and downloads with per-rank timings in HDF5")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "openmpi-bin, python3, python3-h5py, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "hdf5-tools, python3-pandas, slurm-client")
include(CPack)
