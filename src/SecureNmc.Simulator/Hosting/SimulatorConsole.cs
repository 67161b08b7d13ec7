using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// The standalone simulator (tools/SimulatorHost): starts a hosted fleet from "key=value" arguments,
    /// prints every card's endpoints and the test users, and serves until cancelled (Ctrl+C).
    /// </summary>
    public static class SimulatorConsole
    {
        public const string Usage =
            "SimulatorHost [count=5] [scale=1] [ftp=false] [port=0] [nmc2=0] [slow=0] [restart=120] [uploadKiBps=64]\n" +
            "  count        cards to simulate (127.0.1.1, 127.0.1.2, ... on Linux and Windows)\n" +
            "  scale        time scale: 1 = real time, 0.01 = 100x faster, 0 = no delays\n" +
            "  ftp          enable FTP on every card (NMC3 ships with FTP off)\n" +
            "  port         SSH port for every card (0 = one free port)\n" +
            "  nmc2         make the last N cards NMC2 (hw05), which the product reports as not supported\n" +
            "  slow         make the first N cards answer slowly (30 s per reply, scaled)\n" +
            "  restart      restart duration after a firmware upload, seconds (scaled)\n" +
            "  uploadKiBps  card upload speed, KiB per simulated second";

        /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad argument.</summary>
        public static IReadOnlyDictionary<string, string> ParseArguments(IEnumerable<string> args)
        {
            var known = new[] { "count", "scale", "ftp", "port", "nmc2", "slow", "restart", "uploadkibps" };
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var arg in args)
            {
                int eq = arg.IndexOf('=');
                var key = eq > 0 ? arg.Substring(0, eq).TrimStart('-') : "";
                if (eq <= 0 || !known.Contains(key.ToLowerInvariant()))
                    throw new ArgumentException($"Unknown argument '{arg}'. Expected key=value with key one of: {string.Join(", ", known)}.");
                values[key] = arg.Substring(eq + 1);
            }
            return values;
        }

        /// <summary>Starts the fleet, writes the endpoints to <paramref name="output"/>, serves until <paramref name="stop"/> is cancelled.</summary>
        public static async Task RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken stop)
        {
            var a = ParseArguments(args);
            int count = Int(a, "count", 5, 1, 62500);
            double scale = Double(a, "scale", 1.0);
            bool ftp = a.TryGetValue("ftp", out var f) && bool.TryParse(f, out var fv) ? fv : false;
            int port = Int(a, "port", 0, 0, 65535);
            int nmc2 = Int(a, "nmc2", 0, 0, count);
            int slow = Int(a, "slow", 0, 0, count);
            var timing = new CardTiming
            {
                RestartDuration = TimeSpan.FromSeconds(Double(a, "restart", 120)),
                UploadBytesPerSecond = Double(a, "uploadKiBps", 64) * 1024,
            };

            using var fleet = new SimulatedFleet(new SimulatorClock(scale));
            fleet.AddCards(count, i => i >= count - nmc2 ? CardProfile.Nmc2(i) : CardProfile.ForFleetMember(i), timing);
            foreach (var card in fleet.Cards.Take(slow)) card.Faults.AnswerSlowly = true;
            foreach (var card in fleet.Cards) card.FtpEnabled = ftp;
            using var host = SimulatorFleetHost.Start(fleet, new SimulatorHostOptions { SshPort = port });

            output.WriteLine($"{count} simulated cards, time scale {scale.ToString(CultureInfo.InvariantCulture)}. Users on every card:");
            foreach (var user in SimulatedCard.DefaultUsers())
                output.WriteLine($"  {user.UserName,-8} {user.Password,-12} {user.Kind}");
            output.WriteLine("Name,Host,SshPort,FtpPort,Model,Application,Version,HostKey");
            foreach (var card in fleet.Cards)
            {
                var p = card.Profile;
                output.WriteLine(string.Join(",", card.Name, card.Host, card.SshPort.ToString(CultureInfo.InvariantCulture),
                    card.FtpEnabled ? card.FtpPort.ToString(CultureInfo.InvariantCulture) : "off",
                    p.Model, p.Generation == Core.CardFiles.NmcGeneration.Nmc2 ? "sumx" : p.ApplicationType.ToString(), p.ApplicationVersion, card.HostKey.Fingerprint));
            }
            output.WriteLine("Serving; press Ctrl+C to stop.");
            output.Flush();
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (stop.Register(() => stopped.TrySetResult(true)))
                await stopped.Task.ConfigureAwait(false);
        }

        private static int Int(IReadOnlyDictionary<string, string> a, string key, int fallback, int min, int max)
        {
            if (!a.TryGetValue(key, out var text)) return fallback;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                throw new ArgumentException($"{key}={text}: expected a whole number from {min} to {max}.");
            return v;
        }

        private static double Double(IReadOnlyDictionary<string, string> a, string key, double fallback)
        {
            if (!a.TryGetValue(key, out var text)) return fallback;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || double.IsInfinity(v))
                throw new ArgumentException($"{key}={text}: expected a number of at least 0.");
            return v;
        }
    }
}
