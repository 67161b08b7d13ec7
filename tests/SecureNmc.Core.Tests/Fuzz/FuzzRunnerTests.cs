using System;
using System.IO;
using System.Threading;
using SecureNmc.Core.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SecureNmc.Core.Tests.Fuzz
{
    /// <summary>The fuzz pass's own checks fail when they should: a crash, a hang, a refusal that changes the folder.</summary>
    public sealed class FuzzRunnerTests : IDisposable
    {
        private readonly FuzzRunner _runner;
        private readonly TempFolder _folder = new TempFolder();

        public FuzzRunnerTests(ITestOutputHelper output) => _runner = new FuzzRunner(output, TimeSpan.FromSeconds(2));

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void AnUndocumentedExceptionIsACrashNamingTheSeedAndInput()
        {
            var e = Assert.Throws<XunitException>(() => _runner.Run("demo", 5, new[] { typeof(InvalidDataException) }, m => m.Random.Next(),
                _ => throw new NullReferenceException()));
            Assert.Contains("CRASH: demo input #0", e.Message);
            Assert.Contains(FuzzSeed.EnvironmentVariable + "=" + _runner.RunSeed, e.Message);
        }

        [Fact]
        public void AnInputPastItsBudgetIsAHang()
        {
            var e = Assert.Throws<XunitException>(() => _runner.Run("demo", 3, Array.Empty<Type>(), m => 0, _ => Thread.Sleep(6000)));
            Assert.Contains("HANG: demo input #0", e.Message);
        }

        [Fact]
        public void ARefusalThatChangesTheDataFolderFails()
        {
            var e = Assert.Throws<XunitException>(() => _runner.Run("demo", 3, new[] { typeof(InvalidDataException) }, m => 0, _ =>
            {
                File.WriteAllText(Path.Combine(_folder.Path, "left-behind.tmp"), "x");
                throw new InvalidDataException("refused");
            }, _folder.Path));
            Assert.Contains("DATA FOLDER CHANGED: demo input #0", e.Message);
        }

        [Fact]
        public void DocumentedRefusalsThatLeaveTheFolderAlonePass() =>
            _runner.Run("demo", 20, new[] { typeof(InvalidDataException) }, m => m.Random.Next(2), n =>
            {
                if (n == 1) throw new InvalidDataException("refused");
            }, _folder.Path);

        [Fact]
        public void TheSameSeedGeneratesTheSameInputs()
        {
            var seeds = new[] { new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } };
            for (int i = 0; i < 50; i++)
                Assert.Equal(new Mutator(FuzzSeed.ForInput(42, "x", i)).Mutate(seeds), new Mutator(FuzzSeed.ForInput(42, "x", i)).Mutate(seeds));
            Assert.NotEqual(FuzzSeed.ForInput(42, "x", 1), FuzzSeed.ForInput(42, "y", 1));
        }
    }
}
