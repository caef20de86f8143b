// The build failed (the invoker checks that) because of the IDL file, and the message says where and why.
def log = new File(basedir, 'build.log').text
assert log.contains('IBroken.idl:3:17: error: \'FileDescriptor\' is not supported by Harmonia\'s IDL compiler')
assert !new File(basedir, 'target/generated-sources/idl/ohos/IBroken.java').exists()
