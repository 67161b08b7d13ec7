using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SecureNmc.Core.Tests.Fuzz
{
    /// <summary>
    /// Runs generated inputs through one entry point: each under a time budget (a hang fails the test),
    /// only the documented exception types allowed (any other is a crash), and after every refusal the
    /// data folder must hold exactly the files and bytes it held before.
    /// </summary>
    internal sealed class FuzzRunner
    {
        private readonly ITestOutputHelper _output;

        public FuzzRunner(ITestOutputHelper output, TimeSpan? budget = null)
        {
            _output = output;
            RunSeed = FuzzSeed.ForThisRun();
            Budget = budget ?? TimeSpan.FromSeconds(10);
        }

        public int RunSeed { get; }

        /// <summary>Longest one input may take; generous for a loaded CI machine, far below a hang.</summary>
        public TimeSpan Budget { get; }

        /// <param name="prepare">Makes the input (and writes any file it lives in); not timed.</param>
        /// <param name="act">Feeds it to the entry point.</param>
        /// <param name="dataFolder">The folder that must not change on refusal; null when the entry point writes nothing.</param>
        public void Run<T>(string format, int count, Type[] allowed, Func<Mutator, T> prepare, Action<T> act, string? dataFolder = null)
        {
            int accepted = 0, refused = 0;
            var clock = Stopwatch.StartNew();
            TimeSpan slowest = TimeSpan.Zero;
            for (int index = 0; index < count; index++)
            {
                var mutator = new Mutator(FuzzSeed.ForInput(RunSeed, format, index));
                var input = prepare(mutator);
                var before = dataFolder == null ? null : Snapshot(dataFolder);
                var started = clock.Elapsed;
                var task = Task.Run(() => act(input));
                Exception? error = null;
                try
                {
                    if (!task.Wait(Budget))
                        throw new XunitException($"HANG: {format} input #{index} ran longer than {Budget.TotalSeconds:0.#} s. {Reproduce}");
                }
                catch (AggregateException e) { error = e.InnerException ?? e; }
                var took = clock.Elapsed - started;
                if (took > slowest) slowest = took;

                if (error == null) { accepted++; continue; }
                if (!allowed.Any(t => t.IsInstanceOfType(error)))
                    throw new XunitException($"CRASH: {format} input #{index} threw {error.GetType().FullName} (allowed: {string.Join(", ", allowed.Select(t => t.Name))}). {Reproduce}\n{error}");
                refused++;
                if (dataFolder != null)
                {
                    var after = Snapshot(dataFolder);
                    if (after != before)
                        throw new XunitException($"DATA FOLDER CHANGED: {format} input #{index} was refused ({error.GetType().Name}: {error.Message}) but changed the data folder. {Reproduce}\nbefore:\n{before}\nafter:\n{after}");
                }
            }
            _output.WriteLine($"{format}: {count} inputs ({accepted} accepted, {refused} refused), 0 crashes, 0 hangs, slowest {slowest.TotalMilliseconds:0} ms, total {clock.Elapsed.TotalSeconds:0.0} s; run seed {RunSeed}.");
        }

        private string Reproduce => $"Run seed {RunSeed}: set {FuzzSeed.EnvironmentVariable}={RunSeed} to reproduce.";

        /// <summary>Every folder and file under the root with its SHA-256; lock files excepted (they are never deleted, by design).</summary>
        public static string Snapshot(string root)
        {
            var sb = new StringBuilder();
            if (!Directory.Exists(root)) return "(no folder)";
            using (var sha = SHA256.Create())
            {
                foreach (var dir in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).OrderBy(d => d, StringComparer.Ordinal))
                    sb.Append("dir ").Append(Path.GetRelativePath(root, dir)).Append('\n');
                foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                {
                    if (file.EndsWith(".lock", StringComparison.Ordinal) || file.EndsWith(".lock.queue", StringComparison.Ordinal)) continue;
                    sb.Append(Path.GetRelativePath(root, file)).Append(' ')
                      .Append(BitConverter.ToString(sha.ComputeHash(File.ReadAllBytes(file))).Replace("-", "")).Append('\n');
                }
            }
            return sb.ToString();
        }
    }
}
