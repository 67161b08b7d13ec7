using System;
using System.IO;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Tests.Inventory
{
    /// <summary>A throwaway self-contained data folder, deleted afterwards.</summary>
    public sealed class TempDataFolder : IDisposable
    {
        public TempDataFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securenmc-test-" + Guid.NewGuid().ToString("N"));
            Folder = DataFolder.ForRoot(Path);
        }

        public string Path { get; }
        public DataFolder Folder { get; }

        public void Dispose()
        {
            try { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
