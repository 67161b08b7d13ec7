using System.IO;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// The file-system calls an atomic write is made of. A seam so tests can stop the write at any
    /// step (a simulated crash) and prove the target file is always either the old or the new one.
    /// </summary>
    public interface IFileOperations
    {
        bool FileExists(string path);
        bool DirectoryExists(string path);
        void CreateDirectory(string path);

        /// <summary>Opens a file for reading that a concurrent writer may replace (FileShare.ReadWrite | Delete).</summary>
        Stream OpenRead(string path);

        /// <summary>Creates a new file; fails if it exists.</summary>
        Stream CreateNew(string path);

        /// <summary>Writes the bytes to the stream.</summary>
        void Write(Stream stream, byte[] data);

        /// <summary>Flushes the stream through the OS cache to the disk (fsync).</summary>
        void FlushToDisk(Stream stream);

        void Close(Stream stream);

        /// <summary>Atomically puts <paramref name="source"/> in place of <paramref name="destination"/> (rename).</summary>
        void Replace(string source, string destination);

        void Delete(string path);

        string[] GetFiles(string directory, string searchPattern);
    }
}
