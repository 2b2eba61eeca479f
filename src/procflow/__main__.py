from procflow.entry import main

main()
