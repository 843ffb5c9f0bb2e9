from themescope.cli import main

main()
