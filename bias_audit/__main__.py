from bias_audit.cli import main

main()
