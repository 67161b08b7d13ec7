using SecureNmc.Simulator.Cards;

/// <summary>The bench's cards, the same in the bench process and in a simulator child process.</summary>
static class BenchCards
{
    /// <summary>Real cards' pace: 64 KiB/s upload, 150 s restart, 200 ms per reply (scaled by the fleet's clock).</summary>
    public static CardTiming Timing => new CardTiming
    {
        UploadBytesPerSecond = 64 * 1024,
        RestartDuration = System.TimeSpan.FromSeconds(150),
        ReplyLatency = System.TimeSpan.FromMilliseconds(200),
    };

    /// <summary>A varied fleet (models, application types) all one version behind the bench's packages.</summary>
    public static CardProfile Profile(int index)
    {
        var p = CardProfile.ForFleetMember(index);
        p.ApplicationVersion = p.AosVersion = "2.5.0.6";
        return p;
    }
}
