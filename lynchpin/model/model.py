"""LynchpinModel: the Indo-Pacific as a Mesa model over R parallel worlds.

Each quarter: timed shocks set this quarter's parameters; every agent observes last quarter's
snapshot, then every agent decides, then every agent acts (staged activation, so activation
order never matters); the system-level quantities (power, deterrence, incidents, crises,
cohesion, order) are updated; Mesa's DataCollector records every output as an array over
worlds (or only the outputs a caller asks for: `outputs=`). With worlds=1 this is an ordinary
Mesa run; with worlds=10_000 the same code runs a Monte-Carlo ensemble in lock-step.
"""

from __future__ import annotations

import dataclasses
import mmap
from collections.abc import Callable, Iterable

import mesa
import numpy as np

from lynchpin.agents import ROLE_CLASSES, Actor, Challenger, Leader, TreatyAlly
from lynchpin.agents.administration import LEADER_SHIFTS, SYSTEM_TARGETS, apply_administration
from lynchpin.model.config import ModelConfig
from lynchpin.model.draws import parameter_draws
from lynchpin.model.guards import OutputBounds, check_quarter
from lynchpin.model.parameters import as_namespace
from lynchpin.model.periods import quarter_range
from lynchpin.model.results import Results
from lynchpin.model.rng import WorldStreams
from lynchpin.model.snapshot import Snapshot
from lynchpin.model.system import SYSTEM_OUTPUTS, SystemState

QUARTER = 0.25


class LynchpinModel(mesa.Model):
    """Strategic competition among a leader, its allies and partners, and a challenger."""

    def __init__(
        self,
        config: ModelConfig,
        worlds: int = 1,
        seed: int | None = None,
        first_world: int = 0,
        rng: int | None = None,
        outputs: Iterable[tuple[str, str] | str] | None = None,
        draws: dict[str, np.ndarray] | None = None,
    ) -> None:
        """`outputs`: the (actor, metric) pairs (or "actor.metric" names) to record, e.g. the
        one outcome of an exploratory experiment; None records every output. The state guard
        checks every output each quarter either way, and what is recorded is bit-identical.
        `draws`: these worlds' per-world parameters if already drawn (parameter_draws of the
        same uncertainty, worlds, seed and first world), which the reference model reuses."""
        # Mesa's batch_run passes the seed as `rng`; our own streams need an int seed.
        seed = rng if seed is None and rng is not None else seed
        seed = 0 if seed is None else int(seed)
        super().__init__(rng=seed)
        # The model is pure: it reads no files. Callers pass a config (e.g.
        # lynchpin.data.default_config() or a scenario's to_config()), also through batch_run's
        # parameters={"config": ...}.
        if not isinstance(config, ModelConfig):
            raise TypeError(
                "LynchpinModel needs a ModelConfig, e.g. lynchpin.data.default_config(); "
                f"got {type(config).__name__}"
            )
        self.config = config
        self.worlds = int(worlds)
        self.seed = seed
        self.first_world = int(first_world)
        self.streams = WorldStreams(seed, self.worlds, self.first_world)
        # Per-world parameters (issue 10): arrays over worlds for every drawn parameter;
        # without config.uncertainty every parameter keeps its single value.
        self.drawn_parameters = (
            parameter_draws(config, self.worlds, seed, self.first_world) if draws is None else draws
        )
        drawn = self.drawn_parameters
        self.base_params = {
            name: drawn.get(name, value) for name, value in config.global_values().items()
        }
        self.p = as_namespace(self.base_params)
        self.quarter = config.start
        self.periods = quarter_range(config.start, config.end)

        for spec in config.actors:
            own = {n: drawn.get(f"{spec.code}.{n}", v) for n, v in spec.params.items()}
            ROLE_CLASSES[spec.role](self, dataclasses.replace(spec, params=own))
        self.actors: dict[str, Actor] = {a.code: a for a in self.agents}
        self.leader: Leader = next(iter(self.agents_by_type[Leader]))
        self.challenger: Challenger = next(iter(self.agents_by_type[Challenger]))
        self.allies: list[TreatyAlly] = [a for a in self.agents if isinstance(a, TreatyAlly)]
        self.initial_gdp = {code: a.gdp.copy() for code, a in self.actors.items()}

        self.system = SystemState(self)
        self.initial_coalition_capability = self.system.coalition_capability()
        self.system.initialise()
        self.snapshot = self.take_snapshot()
        for code, reference in self._reference_state().items():
            self.actors[code].reference = reference
        self._outputs = self.output_names()
        self.output_bounds = OutputBounds(self)  # what check_quarter tests every quarter
        self.recorded_outputs = self._chosen_outputs(outputs)
        self._kept = np.array([self._outputs.index(key) for key in self.recorded_outputs])
        # Every output of the current quarter, for the guard: the trajectory's own row when
        # every output is recorded, else one scratch row used again every quarter.
        self._quarter = (
            None
            if len(self.recorded_outputs) == len(self._outputs)
            else np.empty((len(self._outputs), self.worlds))
        )
        # Trajectories (recorded output, period, world); each quarter fills one row per output.
        self._trajectory = trajectory_buffer(
            (len(self.recorded_outputs), len(self.periods), self.worlds)
        )
        self._recorded_rows = self._trajectory.view(_RecordedRow)
        self._recorded_rows.flags.writeable = False
        self._recorded = 0
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())

    # -- where budget responses are measured from ----------------------------------------
    def neutral_config(self) -> ModelConfig:
        """This config under the default burden-sharing and Article 5 policies, with no shocks."""
        policies = dataclasses.replace(
            self.config.policies,
            doctrine="diffused",
            host_nation_support="standard",
            cyber_article5=False,
        )
        return dataclasses.replace(self.config, policies=policies, shocks=())

    def _reference_state(self) -> dict[str, dict[str, np.ndarray]]:
        """Where each actor's budget responses are measured from (C8, C10, C13).

        Desired defence shares respond to *changes* in threat, abandonment fear and coalition
        capability relative to 2020, so that 2020 budgets match the data. A policy in force from
        the first quarter (cost plus 50, specific reciprocity, cyber under Article 5) must still
        count as a change, so the reference is the settled 2020 state of the same actors and
        parameters under the default policies and without shocks. That state has no randomness,
        so one world computes it for all.
        """
        neutral = self.neutral_config()
        if neutral == self.config:
            source = self
        elif self.config.uncertainty is None:
            source = LynchpinModel(neutral, worlds=1, seed=0)
        else:  # per-world parameters: the same worlds' draws give each world its own reference
            source = LynchpinModel(
                neutral,
                worlds=self.worlds,
                seed=self.seed,
                first_world=self.first_world,
                outputs=self.output_names()[:1],  # never stepped: nothing to record
                draws=self.drawn_parameters,  # the same uncertainty, so the same draws
            )
        return {
            code: actor.reference_values(source.snapshot) for code, actor in source.actors.items()
        }

    # -- random numbers -----------------------------------------------------------------
    def draw_normal(self, agent: Actor, purpose: str = "growth") -> np.ndarray:
        """This quarter's standard-normal draws for (agent, purpose), from their own stream.

        Each (agent, purpose) has its own stream, so adding an actor or changing a policy never
        shifts another actor's shocks: scenarios with the same seed stay paired.
        """
        return self.streams(f"{agent.code}.{purpose}").normal()[0]

    # -- time-varying parameters -------------------------------------------------------
    def _apply_shocks(self) -> None:
        """Recompute every shocked parameter from its base value for this quarter.

        The parameters the administration regime moves (D7) are reset too, so that
        apply_administration starts each quarter from the shocked base values.
        """
        if self.config.administrations.elections:
            for name in LEADER_SHIFTS:
                setattr(self.leader.p, name, self.leader.base_params[name])
            for name in SYSTEM_TARGETS:
                setattr(self.p, name, self.base_params[name])
        for shock in self.config.shocks:
            holder, base = (
                (self.p, self.base_params)
                if shock.target == "system"
                else (self.actors[shock.target].p, self.actors[shock.target].base_params)
            )
            setattr(holder, shock.parameter, base[shock.parameter])
        for shock in self.config.shocks:
            holder = self.p if shock.target == "system" else self.actors[shock.target].p
            value = getattr(holder, shock.parameter)
            setattr(holder, shock.parameter, shock.apply(value, self.quarter))

    def set_parameter(self, target: str, name: str, value: float) -> None:
        """Change a parameter's base value from the next quarter on, mid-run.

        For interactive use (the dashboard's levers). target is an actor code or "system";
        timed shocks keep acting on top of the new base value.
        """
        holder = self if target == "system" else self.actors[target]
        if name not in holder.base_params:
            raise KeyError(f"{target} has no parameter {name!r}")
        holder.base_params[name] = float(value)
        setattr(holder.p, name, float(value))

    # -- the quarter -------------------------------------------------------------------
    def step(self) -> None:
        """One quarter: shocks, observe, decide, act, system update, data collection."""
        self._apply_shocks()
        apply_administration(self)
        self.agents.do("observe")
        self.agents.do("decide")
        self.agents.do("act")
        self.system.update()
        self._record()
        self.datacollector.collect(self)
        self.quarter += 1
        self.snapshot = self.take_snapshot()
        if self.quarter > self.config.end:
            self.running = False

    def run(self, scenario: str = "custom", on_step: Callable[[], object] | None = None) -> Results:
        """Run to the end of the configured period and return the results.

        `on_step()` is called after every quarter (e.g. to advance a progress bar).
        """
        self.run_name = scenario  # named by the state guard's errors
        while self.running:
            self.step()
            if on_step is not None:
                on_step()
        return self.results(scenario)

    def take_snapshot(self) -> Snapshot:
        """Freeze the current state for the next quarter's observe and decide stages."""
        s = self.system
        return Snapshot(
            quarter=self.quarter,
            years_elapsed=(self.quarter - self.config.start) * QUARTER,
            gdp={c: a.gdp for c, a in self.actors.items()},
            capability={c: a.capability for c, a in self.actors.items()},
            power={c: s.power[c] for c in self.actors},
            alignment={c: a.alignment for c, a in self.actors.items()},
            leader=self.leader.code,
            challenger=self.challenger.code,
            attention=self.leader.attention,
            commitment=self.leader.commitment,
            grayzone=self.challenger.gray_zone_intensity,
            dissatisfaction=self.challenger.dissatisfaction,
            power_ratio=s.power_ratio,
            challenger_power_share=s.challenger_power_share,
            coalition_capability=s.coalition_capability(),
            deterrence=s.deterrence,
            intent=s.intent,
            crisis_memory=s.crisis_memory,
            quad_cohesion=s.quad_cohesion,
            administration=self.leader.administration,
            resolve_belief={c: a.resolve.mean for c, a in self.actors.items()},
            at_war=s.at_war,
        )

    # -- outputs ------------------------------------------------------------------------
    def output_names(self) -> list[tuple[str, str]]:
        """(actor, metric) pairs this model reports, actors first, then 'system'."""
        names = [(a.code, m) for a in self.actors.values() for m in a.outputs]
        return names + [("system", m) for m in SYSTEM_OUTPUTS]

    def value(self, actor: str, metric: str) -> np.ndarray:
        """Current value of one output over worlds."""
        if actor == "system":
            return getattr(self.system, metric)
        return self.actors[actor].state(metric)

    def _chosen_outputs(
        self, outputs: Iterable[tuple[str, str] | str] | None
    ) -> list[tuple[str, str]]:
        """The outputs to record, in recording order; an unknown name is an error naming the
        known ones."""
        if outputs is None:
            return list(self._outputs)
        wanted = {tuple(o.split(".", 1)) if isinstance(o, str) else tuple(o) for o in outputs}
        unknown = sorted(".".join(map(str, key)) for key in wanted - set(self._outputs))
        if unknown:
            known = ", ".join(f"{a}.{m}" for a, m in self._outputs)
            raise ValueError(f"unknown outputs {', '.join(unknown)}; outputs are: {known}")
        if not wanted:
            raise ValueError("outputs: name at least one output to record (None records all)")
        return [key for key in self._outputs if key in wanted]

    def _record(self) -> None:
        """Write every output of this quarter into one row, check it, and keep the recorded
        outputs in the trajectory buffer."""
        row = self._recorded
        quarter = self._trajectory[:, row] if self._quarter is None else self._quarter
        for k, (actor, metric) in enumerate(self._outputs):
            quarter[k] = self.value(actor, metric)
        check_quarter(self, quarter)  # non-finite or out-of-domain: an error
        if self._quarter is not None:
            self._trajectory[:, row] = quarter[self._kept]
        self._recorded += 1

    def _recorded_row(self, k: int) -> np.ndarray:
        """Recorded output k of the latest quarter: a read-only float64 row of the trajectory
        buffer."""
        return self._recorded_rows[k, self._recorded - 1]

    def _reporters(self) -> dict:
        """One DataCollector reporter per recorded output, named '<actor>.<metric>'."""

        def reporter(k: int):
            return lambda model: model._recorded_row(k)

        return {f"{a}.{m}": reporter(k) for k, (a, m) in enumerate(self.recorded_outputs)}

    def results(self, scenario: str = "custom") -> Results:
        """Per-world trajectories collected so far, as a Results table (read-only arrays)."""
        steps = self._recorded
        values = {
            key: self._recorded_rows[k, :steps].view(np.ndarray)
            for k, key in enumerate(self.recorded_outputs)
        }
        return Results(
            scenario=scenario,
            periods=self.periods[:steps],
            first_world=self.first_world,
            values=values,
        )


def trajectory_buffer(shape: tuple[int, ...]) -> np.ndarray:
    """Zeroed float64 memory for the trajectories, in ordinary (4 KiB) pages.

    The buffer is a run's one large allocation (350 MiB at 10,000 worlds x 64 quarters), and the
    cost of first touching it is the kernel's. numpy asks for transparent huge pages for large
    arrays; on virtual machines that hand freed memory back to their host (free page reporting,
    as on Firecracker and many cloud VMs) every run then faults in cold 2 MiB pages: measured
    there, 0.8-1.3 s of system time per 10,000-world run against 0.3-0.4 s with ordinary pages
    from an anonymous mapping, which the guest reuses warm (benchmarks/ensemble.py prints user
    and system time apart). The mapping is private (MAP_PRIVATE): a shared anonymous mapping
    (mmap's default) is backed by shmem, whose page faults cost more (measured: 0.25 against
    0.19 s of system time to fill 440 MiB of ordinary pages). The mapping is released
    with the last array that views it; to record less, name the outputs (LynchpinModel).
    """
    size = int(np.prod(shape))
    memory = mmap.mmap(-1, max(size, 1) * np.dtype(float).itemsize, flags=mmap.MAP_PRIVATE)
    return np.frombuffer(memory, dtype=float, count=size).reshape(shape)


class _RecordedRow(np.ndarray):
    """A recorded quarter of one output. It is never written again, so the DataCollector's
    deepcopy can keep the row itself instead of copying it a second time."""

    def __deepcopy__(self, memo: dict) -> _RecordedRow:
        return self
