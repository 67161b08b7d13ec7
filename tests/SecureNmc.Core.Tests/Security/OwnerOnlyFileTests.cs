using System;
using System.IO;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.Inventory;

namespace SecureNmc.Core.Tests.Security
{
    /// <summary>Files that may hold secrets are created 0600 by the create call itself, never chmod-ed afterwards.</summary>
    public class OwnerOnlyFileTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();
        public void Dispose() => _temp.Dispose();

        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        [Fact]
        public void CreatedOwnerOnlyThroughFileStreamOptions()
        {
            Directory.CreateDirectory(_temp.Path);
            var path = Path.Combine(_temp.Path, "a");
            using (var stream = UnixFilePermissions.CreateOwnerOnlyFile(path))
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path)); // before a byte is written
            Assert.Throws<IOException>(() => UnixFilePermissions.CreateOwnerOnlyFile(path).Dispose());
        }

        [Fact]
        public void CreatedOwnerOnlyThroughLibcOpenOnOlderRuntimes()
        {
            Directory.CreateDirectory(_temp.Path);
            var path = Path.Combine(_temp.Path, "b");
            using (var stream = UnixFilePermissions.CreateWithLibcOpen(path, 4096))
            {
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
                stream.Write(new byte[] { 1, 2, 3 });
            }
            Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
            Assert.Contains("already exists", Assert.Throws<IOException>(() => UnixFilePermissions.CreateWithLibcOpen(path, 4096)).Message);
        }

        [Fact]
        public void AtomicWriterTempFileIsOwnerOnlyBeforeContent()
        {
            var seen = new ModeRecordingFileOperations();
            new AtomicFileWriter(seen).WriteAllBytes(Path.Combine(_temp.Path, "c.json"), new byte[] { 42 });
            Assert.Equal(OwnerReadWrite, seen.ModeAtCreation);
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(_temp.Path, "c.json")));
        }

        private sealed class ModeRecordingFileOperations : IFileOperations
        {
            private readonly IFileOperations _real = PhysicalFileOperations.Instance;
            public UnixFileMode? ModeAtCreation;
            public bool FileExists(string path) => _real.FileExists(path);
            public bool DirectoryExists(string path) => _real.DirectoryExists(path);
            public void CreateDirectory(string path) => _real.CreateDirectory(path);
            public Stream OpenRead(string path) => _real.OpenRead(path);
            public Stream CreateNew(string path)
            {
                var stream = _real.CreateNew(path);
                ModeAtCreation = File.GetUnixFileMode(path);
                return stream;
            }
            public void Write(Stream stream, byte[] data) => _real.Write(stream, data);
            public void FlushToDisk(Stream stream) => _real.FlushToDisk(stream);
            public void Close(Stream stream) => _real.Close(stream);
            public void Replace(string source, string destination) => _real.Replace(source, destination);
            public void Delete(string path) => _real.Delete(path);
            public string[] GetFiles(string directory, string searchPattern) => _real.GetFiles(directory, searchPattern);
        }
    }
}
