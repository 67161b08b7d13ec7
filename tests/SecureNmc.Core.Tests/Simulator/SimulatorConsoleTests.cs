using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    public class SimulatorConsoleTests
    {
        [Fact]
        public async Task Serves_the_listed_cards_until_stopped()
        {
            using var stop = new CancellationTokenSource();
            var output = new SignallingWriter("Serving;");
            var run = SimulatorConsole.RunAsync(new[] { "count=3", "scale=0", "nmc2=1", "ftp=true" }, output, stop.Token);
            await Within(output.Seen);
            var rows = output.ToString().Split('\n').Where(l => l.StartsWith("nmc-")).Select(l => l.Trim().Split(',')).ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal("sumx", rows[2][5]);

            using (var session = await Within(new ScpFileTransferClient().OpenAsync(new ConnectionOptions
            {
                Host = rows[0][1], Port = int.Parse(rows[0][2]), Credential = SimulatedFleet.AdministratorCredential,
                ConnectTimeout = TimeSpan.FromSeconds(20), OperationTimeout = TimeSpan.FromSeconds(20),
            }, Token)))
            {
                var config = new MemoryStream();
                await Within(session.DownloadAsync("config.ini", config, null, Token));
                Assert.Equal(rows[0][0], ConfigIniParser.Parse(config.ToArray()).Get("SystemID", "Name"));
            }
            stop.Cancel();
            await Within(run);
        }

        [Theory]
        [InlineData("count=abc")]
        [InlineData("count=0")]
        [InlineData("colour=blue")]
        [InlineData("scale=-1")]
        public async Task Bad_arguments_are_named(string argument)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorConsole.RunAsync(new[] { argument }, TextWriter.Null, CancellationToken.None));
            Assert.Contains(argument.Split('=')[0], ex.Message);
        }

        private sealed class SignallingWriter : StringWriter
        {
            private readonly string _marker;
            private readonly TaskCompletionSource<bool> _seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            public SignallingWriter(string marker) => _marker = marker;
            public Task Seen => _seen.Task;
            public override void WriteLine(string? value)
            {
                lock (this) base.WriteLine(value);
                if (value != null && value.StartsWith(_marker, StringComparison.Ordinal)) _seen.TrySetResult(true);
            }
            public override string ToString() { lock (this) return base.ToString(); }
        }
    }
}
