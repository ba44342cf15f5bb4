import { useId } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type DotItemDotProps,
} from 'recharts';
import type { Severity } from '@homeward/contracts';
import { formatMoment, formatValue, SEVERITY_NAMES, vitalName, vitalUnit } from './format';
import { OPERATOR_SIGNS, type Threshold } from './thresholds';

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  value: number;
  unit: string;
  /** The worst severity of the alerts the reading fed; null when it breached nothing. */
  alert: Severity | null;
}

/** Severity colours with at least 3:1 contrast against the white chart (WCAG 1.4.11). */
const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  critical: '#a4161a',
  warning: '#8a5300',
  info: '#1f4e79',
};

const DAY_MS = 24 * 3600_000;

function AlertingDot({ cx, cy, payload }: DotItemDotProps) {
  const point = payload as ChartPoint;
  if (cx === undefined || cy === undefined) return null;
  if (!point.alert) return <circle cx={cx} cy={cy} r={3} fill="#0b5cad" className="reading-dot" />;
  // A triangle, not only a colour, marks a reading that fed an alert.
  return (
    <path
      d={`M ${cx} ${cy - 7} L ${cx + 7} ${cy + 5} L ${cx - 7} ${cy + 5} Z`}
      fill={SEVERITY_COLOURS[point.alert]}
      stroke="#ffffff"
      strokeWidth={1}
      className={`alerting-reading alerting-reading-${point.alert}`}
      data-value={point.value}
    />
  );
}

/**
 * One vital over the chosen window: its readings, the patient's fixed thresholds as dashed
 * lines labelled with their value, and the readings that fed an alert as triangles.
 */
export function VitalChart({
  type,
  points,
  thresholds,
  from,
  to,
  patientTimeZone,
}: {
  type: string;
  points: ChartPoint[];
  thresholds: Threshold[];
  from: number;
  to: number;
  patientTimeZone: string | null;
}) {
  const titleId = useId();
  const unit = vitalUnit(type);
  const alerting = points.filter((point) => point.alert).length;
  const shortRange = to - from <= DAY_MS;
  const tick = (t: number) =>
    new Date(t).toLocaleString(
      undefined,
      shortRange ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' },
    );
  return (
    <figure className="vital-chart" aria-labelledby={titleId} data-vital={type}>
      <figcaption id={titleId}>
        <strong>{vitalName(type)}</strong> ({unit}) · {points.length}{' '}
        {points.length === 1 ? 'reading' : 'readings'}
        {alerting ? `, ${alerting} alerting` : ''}
        {thresholds.length ? (
          <span className="muted">
            {' '}
            · thresholds:{' '}
            {thresholds
              .map(
                (threshold) =>
                  `${OPERATOR_SIGNS[threshold.operator]} ${threshold.value} ${unit} (${SEVERITY_NAMES[threshold.severity]})`,
              )
              .join('; ')}
          </span>
        ) : null}
      </figcaption>
      {points.length === 0 ? (
        <p className="muted chart-empty">No readings in this period.</p>
      ) : (
        <ResponsiveContainer width="100%" height={210}>
          <LineChart data={points} margin={{ top: 14, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="#dde1e7" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[from, to]}
              tickFormatter={tick}
              stroke="#4a5360"
              tick={{ fill: '#4a5360', fontSize: 12 }}
            />
            <YAxis
              domain={['auto', 'auto']}
              stroke="#4a5360"
              tick={{ fill: '#4a5360', fontSize: 12 }}
              width={48}
              label={{ value: unit, angle: -90, position: 'insideLeft', fill: '#4a5360', fontSize: 12 }}
            />
            <Tooltip
              labelFormatter={(t) => {
                const moment = formatMoment(new Date(Number(t)).toISOString(), patientTimeZone);
                return moment.patient ? `${moment.user} (patient: ${moment.patient})` : moment.user;
              }}
              formatter={(value, _name, item) => {
                const point = item.payload as ChartPoint;
                const text = formatValue(Number(value), point.unit);
                return [
                  point.alert ? `${text} — alerting (${SEVERITY_NAMES[point.alert]})` : text,
                  vitalName(type),
                ];
              }}
            />
            {thresholds.map((threshold) => (
              <ReferenceLine
                key={`${threshold.operator}${threshold.value}`}
                y={threshold.value}
                ifOverflow="extendDomain"
                stroke={SEVERITY_COLOURS[threshold.severity]}
                strokeDasharray="6 4"
                className={`threshold-line threshold-${threshold.severity}`}
                label={{
                  value: `${OPERATOR_SIGNS[threshold.operator]} ${threshold.value} ${unit}`,
                  // Lower limits label above their line, clear of the axis beneath.
                  position:
                    threshold.operator === '<' || threshold.operator === '<='
                      ? 'insideBottomRight'
                      : 'insideTopRight',
                  fill: SEVERITY_COLOURS[threshold.severity],
                  fontSize: 12,
                }}
              />
            ))}
            <Line
              dataKey="value"
              type="linear"
              stroke="#0b5cad"
              strokeWidth={2}
              isAnimationActive={false}
              dot={AlertingDot}
              activeDot={{ r: 5 }}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
