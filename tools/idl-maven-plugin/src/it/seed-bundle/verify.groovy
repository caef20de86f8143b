// The build passed (the invoker checks that); also check the plugin ran and the tests did.
def log = new File(basedir, 'build.log').text
assert log.contains('Compiled 1 IDL file(s) into 3 Java file(s)')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert new File(basedir, 'target/classes/ohos/IdlServiceExtProxy.class').isFile()
