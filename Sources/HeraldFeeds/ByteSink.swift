/// Where a feed writer's bytes go: a file (`DescriptorSink`) or memory (`XMLWriter`'s fragments).
class ByteSink {
    func append(_ bytes: UnsafeRawPointer, _ length: Int) -> Bool { fatalError("abstract") }
    func flush() -> Bool { true }
}
