from tests.test_diff import update_golden as main

if __name__ == "__main__":
    main()
