using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Transport;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>Shared helpers: instant fleets and a bounded wait so no test can hang.</summary>
    internal static class SimulatorTestKit
    {
        public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        public static SimulatedFleet InstantFleet(int cards, Func<int, CardProfile>? profiles = null)
        {
            var fleet = new SimulatedFleet(new SimulatorClock(0));
            fleet.AddCards(cards, profiles, CardTiming.Instant);
            return fleet;
        }

        public static ConnectionOptions Connect(SimulatedCard card, NetworkCredential credential, TransferProtocol protocol = TransferProtocol.Scp) => new ConnectionOptions
        {
            Host = card.Host,
            Port = protocol == TransferProtocol.Ftp ? card.FtpPort : card.SshPort,
            Credential = credential,
            ConnectTimeout = TimeSpan.FromSeconds(20),
            OperationTimeout = TimeSpan.FromSeconds(20),
        };

        public static async Task<T> Within<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(Deadline));
            if (done != task) throw new TimeoutException("The operation did not finish within the test deadline.");
            return await task;
        }

        public static async Task Within(Task task)
        {
            var done = await Task.WhenAny(task, Task.Delay(Deadline));
            if (done != task) throw new TimeoutException("The operation did not finish within the test deadline.");
            await task;
        }

        public static CancellationToken Token => new CancellationTokenSource(Deadline).Token;

        public static string TempDirectory()
        {
            var dir = Path.Combine(Path.GetTempPath(), "securenmc-sim-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
