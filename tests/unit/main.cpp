// The unit-test runner: every other tests/unit/*.cpp adds its test suites to this module.
#define BOOST_TEST_MODULE llmap
#include <boost/test/unit_test.hpp>
