using System;
using System.Collections.Generic;
using System.IO;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Tests.Inventory
{
    public sealed class SimulatedCrashException : Exception
    {
        public SimulatedCrashException(string step) : base("Simulated crash at " + step) { }
    }

    /// <summary>
    /// The real file system, except that the process "dies" at a chosen step: that operation is
    /// cut short (before it runs, or, for a write, after half the bytes) and every later operation
    /// fails too, so no cleanup code gets to run, as after a real crash or power cut.
    /// </summary>
    public sealed class CrashingFileOperations : IFileOperations
    {
        private readonly IFileOperations _real = PhysicalFileOperations.Instance;
        private readonly int _crashAtStep;
        private readonly bool _crashAfterStep;
        private bool _dead;

        /// <param name="crashAtStep">0-based index of the operation to crash on; -1 never crashes (recording run).</param>
        /// <param name="crashAfterStep">Run the step (a write: half of it) and then crash, instead of crashing before it.</param>
        public CrashingFileOperations(int crashAtStep, bool crashAfterStep)
        {
            _crashAtStep = crashAtStep;
            _crashAfterStep = crashAfterStep;
        }

        public List<string> Steps { get; } = new List<string>();
        public bool Crashed => _dead;

        private void Step(string name, Action run, Action? runPartially = null)
        {
            if (_dead) throw new SimulatedCrashException("(already dead) " + name);
            int index = Steps.Count;
            Steps.Add(name);
            if (index != _crashAtStep) { run(); return; }
            _dead = true;
            if (_crashAfterStep) (runPartially ?? run)();
            throw new SimulatedCrashException(name);
        }

        private T Step<T>(string name, Func<T> run)
        {
            T result = default!;
            Step(name, () => { result = run(); });
            return result;
        }

        public bool FileExists(string path) => Step("FileExists " + Path.GetFileName(path), () => _real.FileExists(path));
        public bool DirectoryExists(string path) => Step("DirectoryExists", () => _real.DirectoryExists(path));
        public void CreateDirectory(string path) => Step("CreateDirectory", () => _real.CreateDirectory(path));
        public Stream OpenRead(string path) => Step("OpenRead " + Path.GetFileName(path), () => _real.OpenRead(path));
        public Stream CreateNew(string path) => Step("CreateNew temp", () => _real.CreateNew(path));

        public void Write(Stream stream, byte[] data) =>
            Step("Write", () => _real.Write(stream, data), () => { stream.Write(data, 0, data.Length / 2); stream.Flush(); });

        public void FlushToDisk(Stream stream) => Step("FlushToDisk", () => _real.FlushToDisk(stream));

        // A dead process's handles are closed by the OS, which keeps what was written.
        public void Close(Stream stream)
        {
            if (_dead) { stream.Dispose(); throw new SimulatedCrashException("(already dead) Close"); }
            Step("Close", () => _real.Close(stream));
        }

        public void Replace(string source, string destination) => Step("Replace", () => _real.Replace(source, destination));
        public void Delete(string path) => Step("Delete " + Path.GetFileName(path), () => _real.Delete(path));
        public string[] GetFiles(string directory, string searchPattern) => Step("GetFiles", () => _real.GetFiles(directory, searchPattern));
    }
}
