// The build passed (the invoker checks that); also check the plugin ran, the unit tests did, and the end-to-end
// test ran the two bundles (as root) or said why it skipped.
def log = new File(basedir, 'build.log').text
assert log.contains('Compiled 1 IDL file(s) into 3 Java file(s)')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
assert new File(basedir, 'target/classes/ohos/IdlServiceExtProxy.class').isFile()
assert new File(basedir, 'target/bundle/service/module.json5').isFile()
assert new File(basedir, 'target/bundle/client/libs/seed-bundle-1.0-client.jar').isFile()
assert log.contains('-- in example.SeedServiceIT')
if (System.getProperty('user.name') == 'root') {
    assert log.contains('SeedServiceIT: client [')
    assert log =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: [0-9.]+ s -- in example.SeedServiceIT/
}
